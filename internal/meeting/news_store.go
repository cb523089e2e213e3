package meeting

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
	"giaoban/internal/platform/db"
)

const newsCols = "meeting_id, version, title, published_on, body_html, author, author_unit, saved_at, saved_by_name"

func scanNews(row scanner) (*News, error) {
	var n News
	err := row.Scan(&n.MeetingID, &n.Version, &n.Title, &n.PublishedOn, &n.Body, &n.Author, &n.AuthorUnit, &n.SavedAt, &n.SavedByName)
	return &n, err
}

// News returns the latest saved version of a held meeting's article, or a
// fresh draft (Version 0) when none is saved.
func (s *Service) News(ctx context.Context, meetingID int64) (*News, error) {
	if _, err := s.Meeting(ctx, meetingID); err != nil {
		return nil, err
	}
	n, err := scanNews(s.DB.QueryRowContext(ctx, "SELECT "+newsCols+" FROM meeting_news WHERE meeting_id = $1 ORDER BY version DESC LIMIT 1", meetingID))
	if errors.Is(err, sql.ErrNoRows) {
		return s.Draft(ctx, meetingID)
	}
	if err != nil {
		return nil, fmt.Errorf("meeting: news: %w", err)
	}
	return n, nil
}

// NewsVersion returns one saved version of the article.
func (s *Service) NewsVersion(ctx context.Context, meetingID, version int64) (*News, error) {
	if _, err := s.Meeting(ctx, meetingID); err != nil {
		return nil, err
	}
	n, err := scanNews(s.DB.QueryRowContext(ctx, "SELECT "+newsCols+" FROM meeting_news WHERE meeting_id = $1 AND version = $2", meetingID, version))
	if err != nil {
		return nil, notFound(err, "news")
	}
	return n, nil
}

// NewsVersions lists the saved versions of the article, newest first
// (without their bodies).
func (s *Service) NewsVersions(ctx context.Context, meetingID int64) ([]News, error) {
	if _, err := s.Meeting(ctx, meetingID); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT "+newsCols+" FROM meeting_news WHERE meeting_id = $1 ORDER BY version DESC", meetingID)
	if err != nil {
		return nil, fmt.Errorf("meeting: news versions: %w", err)
	}
	defer rows.Close()
	out := []News{}
	for rows.Next() {
		n, err := scanNews(rows)
		if err != nil {
			return nil, fmt.Errorf("meeting: news versions: %w", err)
		}
		n.Body = ""
		out = append(out, *n)
	}
	return out, rows.Err()
}

// SaveNews saves the editor's version of the article as the next version.
// It is refused when someone saved another version since BaseVersion.
func (s *Service) SaveNews(ctx context.Context, meetingID int64, in NewsInput) (*News, error) {
	m, p, err := s.managed(ctx, s.DB, meetingID)
	if err != nil {
		return nil, err
	}
	if !m.Held() {
		return nil, apperr.New(apperr.Conflict, "meeting.err.news_not_held")
	}
	in.Title, in.Author, in.AuthorUnit = clean(in.Title), clean(in.Author), clean(in.AuthorUnit)
	in.Body = richText(in.Body)
	var fe apperr.Fields
	checkText(&fe, "title", in.Title, true, maxTitle)
	checkText(&fe, "author", in.Author, false, maxName)
	checkText(&fe, "author_unit", in.AuthorUnit, false, maxName)
	if in.Body == "" {
		fe.Add("body", "err.required")
	} else if len(in.Body) > maxRich {
		fe.Add("body", "meeting.err.too_big")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	n := &News{MeetingID: m.ID, Version: in.BaseVersion + 1, Title: in.Title, PublishedOn: in.PublishedOn, Body: in.Body,
		Author: in.Author, AuthorUnit: in.AuthorUnit, SavedByName: displayName(p)}
	now := s.now()
	n.SavedAt = &now
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var latest int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM meeting_news WHERE meeting_id = $1", m.ID).Scan(&latest); err != nil {
			return fmt.Errorf("meeting: save news: %w", err)
		}
		if latest != in.BaseVersion {
			return apperr.New(apperr.Conflict, "meeting.err.news_stale", latest)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meeting_news(meeting_id, version, title, published_on, body_html, author, author_unit,
			saved_at, saved_by, saved_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			m.ID, n.Version, n.Title, n.PublishedOn, n.Body, n.Author, n.AuthorUnit, now, nullID(&p.UserID), n.SavedByName)
		if db.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "meeting.err.news_stale", n.Version)
		}
		if err != nil {
			return fmt.Errorf("meeting: save news: %w", err)
		}
		return audit.Record(ctx, tx, audit.Create, "meeting_news", fmt.Sprintf("%d/%d", m.ID, n.Version), nil,
			map[string]any{"title": n.Title, "published_on": n.PublishedOn, "author": n.Author, "author_unit": n.AuthorUnit, "body": n.Body})
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

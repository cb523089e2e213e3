package meeting

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"image"
	_ "image/jpeg" // registers the JPEG decoder
	"image/png"

	"golang.org/x/image/draw"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/audit"
)

// Limits of photos.
const (
	maxPhotoPixels = 50_000_000 // a 50-megapixel camera picture
	maxPhotos      = 50
	// exportWidth is the width photos are scaled down to for documents.
	exportWidth = 1600
)

// CheckImage reads an upload's content (not its name or declared type):
// it must be a JPEG or PNG picture that decodes. It returns the content
// type and size in pixels.
func CheckImage(data []byte) (string, int, int, error) {
	if len(data) > MaxPhotoBytes {
		return "", 0, 0, apperr.Field("photo", "meeting.err.photo_size", MaxPhotoBytes>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || format != "jpeg" && format != "png" {
		return "", 0, 0, apperr.Field("photo", "meeting.err.photo_type")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPhotoPixels {
		return "", 0, 0, apperr.Field("photo", "meeting.err.photo_pixels")
	}
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return "", 0, 0, apperr.Field("photo", "meeting.err.photo_type")
	}
	return "image/" + format, cfg.Width, cfg.Height, nil
}

// AddPhoto stores a photo of the meeting.
func (s *Service) AddPhoto(ctx context.Context, meetingID int64, caption string, data []byte) (*Photo, error) {
	m, p, err := s.managed(ctx, s.DB, meetingID)
	if err != nil {
		return nil, err
	}
	caption = clean(caption)
	var fe apperr.Fields
	checkText(&fe, "caption", caption, false, maxTitle)
	if len(data) == 0 {
		fe.Add("photo", "meeting.err.photo_missing")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	ctype, w, h, err := CheckImage(data)
	if err != nil {
		return nil, err
	}
	ph := &Photo{MeetingID: m.ID, Caption: caption, ContentType: ctype, Width: w, Height: h, Size: int64(len(data)), UploadedAt: s.now()}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM meeting_photos WHERE meeting_id = $1", m.ID).Scan(&n); err != nil {
			return fmt.Errorf("meeting: photo: %w", err)
		}
		if n >= maxPhotos {
			return apperr.Field("photo", "meeting.err.too_many", maxPhotos)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO meeting_photos(meeting_id, caption, content_type, width, height, size, data, uploaded_at, uploaded_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, m.ID, caption, ctype, w, h, ph.Size, data, ph.UploadedAt, nullID(&p.UserID)).Scan(&ph.ID)
		if err != nil {
			return fmt.Errorf("meeting: photo: %w", err)
		}
		return audit.Record(ctx, tx, audit.Create, "meeting_photo", ph.ID, nil,
			map[string]any{"meeting_id": m.ID, "caption": caption, "content_type": ctype, "size": ph.Size})
	})
	if err != nil {
		return nil, err
	}
	return ph, nil
}

func (s *Service) photos(ctx context.Context, meetingID int64, withData bool) ([]Photo, error) {
	cols := "id, meeting_id, caption, content_type, width, height, size, uploaded_at"
	if withData {
		cols += ", data"
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT "+cols+" FROM meeting_photos WHERE meeting_id = $1 ORDER BY id", meetingID)
	if err != nil {
		return nil, fmt.Errorf("meeting: photos: %w", err)
	}
	defer rows.Close()
	out := []Photo{}
	for rows.Next() {
		var ph Photo
		dst := []any{&ph.ID, &ph.MeetingID, &ph.Caption, &ph.ContentType, &ph.Width, &ph.Height, &ph.Size, &ph.UploadedAt}
		if withData {
			dst = append(dst, &ph.Data)
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, fmt.Errorf("meeting: photos: %w", err)
		}
		out = append(out, ph)
	}
	return out, rows.Err()
}

// Photos lists a meeting's photos (without their bytes).
func (s *Service) Photos(ctx context.Context, meetingID int64) ([]Photo, error) {
	if _, err := s.Meeting(ctx, meetingID); err != nil {
		return nil, err
	}
	return s.photos(ctx, meetingID, false)
}

// Photo returns one photo of a meeting with its bytes.
func (s *Service) Photo(ctx context.Context, meetingID, id int64) (*Photo, error) {
	if _, err := s.Meeting(ctx, meetingID); err != nil {
		return nil, err
	}
	var ph Photo
	err := s.DB.QueryRowContext(ctx, `SELECT id, meeting_id, caption, content_type, width, height, size, uploaded_at, data
		FROM meeting_photos WHERE id = $1 AND meeting_id = $2`, id, meetingID).
		Scan(&ph.ID, &ph.MeetingID, &ph.Caption, &ph.ContentType, &ph.Width, &ph.Height, &ph.Size, &ph.UploadedAt, &ph.Data)
	if err != nil {
		return nil, notFound(err, "photo")
	}
	return &ph, nil
}

// DeletePhoto removes a photo of a meeting.
func (s *Service) DeletePhoto(ctx context.Context, meetingID, id int64) error {
	if _, _, err := s.managed(ctx, s.DB, meetingID); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var caption string
		if err := tx.QueryRowContext(ctx, "SELECT caption FROM meeting_photos WHERE id = $1 AND meeting_id = $2", id, meetingID).Scan(&caption); err != nil {
			return notFound(err, "photo")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM meeting_photos WHERE id = $1", id); err != nil {
			return fmt.Errorf("meeting: delete photo: %w", err)
		}
		return audit.Record(ctx, tx, audit.Delete, "meeting_photo", id, map[string]any{"meeting_id": meetingID, "caption": caption}, nil)
	})
}

// PNG returns the photo as a PNG no wider than the documents need: JPEG
// photos are converted (DOCX pictures are PNG here).
func (ph Photo) PNG() ([]byte, error) {
	img, _, err := image.Decode(bytes.NewReader(ph.Data))
	if err != nil {
		return nil, fmt.Errorf("meeting: photo %d: %w", ph.ID, err)
	}
	b := img.Bounds()
	if b.Dx() > exportWidth {
		h := b.Dy() * exportWidth / b.Dx()
		dst := image.NewRGBA(image.Rect(0, 0, exportWidth, max(h, 1)))
		draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
		img = dst
	} else if ph.ContentType == "image/png" {
		return ph.Data, nil
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("meeting: photo %d: %w", ph.ID, err)
	}
	return buf.Bytes(), nil
}

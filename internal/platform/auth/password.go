package auth

import (
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// passwordParams are argon2id settings sized for an old office PC: 64 MiB,
// 1 pass, 2 lanes (RFC 9106's second recommended option scaled down).
var passwordParams = &argon2id.Params{Memory: 64 * 1024, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32}

// MinPasswordLength is the shortest password accepted (in characters).
const MinPasswordLength = 8

// HashPassword returns the argon2id hash of password.
func HashPassword(password string) (string, error) {
	return argon2id.CreateHash(password, passwordParams)
}

// CheckPassword tells whether password matches hash.
func CheckPassword(password, hash string) bool {
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}

// dummyHash is compared against when the user does not exist, so a wrong
// user name costs as much time as a wrong password.
var dummyHash, _ = HashPassword("giaoban-no-such-user")

// BurnPasswordCheck spends the time of one password check.
func BurnPasswordCheck(password string) { CheckPassword(password, dummyHash) }

// PasswordProblem returns a message key when a new password is too weak, "" when fine.
func PasswordProblem(password string) string {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return "err.password_too_short"
	}
	return ""
}

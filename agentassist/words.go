package agentassist

import (
	"strconv"

	"github.com/assistd/assist/catalog"
)

// say returns the catalogue's wording of key ("assist.…") in lang, its
// placeholders filled from args (name, value pairs).
func say(lang, key string, args ...string) string {
	return catalog.Default().Say(lang, key, args...)
}

// num writes a score for people: two decimals.
func num(f float32) string { return strconv.FormatFloat(float64(f), 'f', 2, 32) }

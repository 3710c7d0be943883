package injection

import "strings"

// englishObject reports a word of the rater's world in w, the way the
// other languages' object patterns do, but by looking words up: English is
// most of what the detector reads, and a regular expression this wide runs
// slowly in Go.
func englishObject(w string) bool {
	var prev [3]string // the words before, nearest first
	for i := 0; i < len(w); {
		c := w[i]
		if !isWordByte(c) {
			if c == '%' || c == '/' {
				if digitsAround(w, i) {
					return true
				}
			}
			i++
			continue
		}
		j := i
		for j < len(w) && (isWordByte(w[j]) || w[j] == '\'') {
			j++
		}
		word := w[i:j]
		i = j
		if objectWords[word] || strings.HasPrefix(word, "scor") || strings.HasPrefix(word, "label") || strings.HasPrefix(word, "competenc") {
			return true
		}
		switch {
		case countedThings[word] && (isAllEvery(prev[0]) || isAllEvery(prev[1]) || isAllEvery(prev[2])):
			return true
		case (word == "all" || word == "every" || word == "each") && (prev[0] == "cover" || prev[0] == "covers" || prev[0] == "covering"):
			return true
		case (word == "depth" || word == "detail") && prev[0] == "in":
			return true
		case word == "answer" && prev[0] == "model":
			return true
		case word == "ten" && prev[0] == "of" && prev[1] == "out" && prev[2] == "ten":
			return true
		}
		prev[2], prev[1], prev[0] = prev[1], prev[0], word
	}
	return false
}

func isWordByte(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

func isAllEvery(w string) bool { return w == "all" || w == "every" || w == "each" }

// digitsAround reports "100%" or "10/10" (spaces allowed) at the sign at i.
func digitsAround(w string, i int) bool {
	j := i - 1
	if j >= 0 && w[j] == ' ' {
		j--
	}
	if j < 0 || w[j] < '0' || w[j] > '9' {
		return false
	}
	if w[i] == '%' {
		return true
	}
	k := i + 1
	if k < len(w) && w[k] == ' ' {
		k++
	}
	return k < len(w) && '0' <= w[k] && w[k] <= '9'
}

var objectWords = set(`covered coverage area areas rubric rubrics criteria criterion rating ratings rated grade grades marks
	specific excellent outstanding exceptional perfect top highest maximum max full hire pass passed instruction instructions
	thoroughly fully addressed discussed answered met satisfied complete lenient generous`)

var countedThings = set(`point points box boxes topic topics item items requirement requirements question questions
	section sections dimension dimensions skill skills`)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

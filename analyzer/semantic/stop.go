package semantic

import "strings"

// stopwords carry no topic of their own: they are left out of the words a
// text is compared by. Negations are kept out too; features that need them
// read them from the tokens.
var stopwords = set(`a an the and or but if of to in on at by for with from into onto about as is are was were be
been being am do does did have has had i me my myself we us our ours you your yours he him his she her hers they them
their theirs it its this that these those there here what which who whom whose when where why how so than then too
very also any some all each every both either neither not no nor can could will would shall should may might must
one such only same other another more most much many few up down out over under again further once
yeah um uh oh okay ok thing things something anything everything nothing get got gets getting go going went
let let's i'm i've i'd i'll we're we've we'd we'll you're you've you'd it's that's there's he's she's they're they've
they'd don't didn't doesn't wasn't weren't isn't aren't can't couldn't won't wouldn't shouldn't hadn't haven't hasn't
mm mhm hmm uh-huh er erm ah gonna wanna gotta`)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// IsStopword reports whether a lower-case word or lemma carries no topic.
func IsStopword(w string) bool { return stopwords[w] }

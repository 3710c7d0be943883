package lexicon

import (
	"math/bits"
	"strings"
)

// Class is a set of WordNet lexicographer categories ("supersenses"), one
// bit per category; bit n is lexicographer file n of WordNet 3.0.
type Class uint64

// The 45 WordNet lexicographer categories, in WordNet's file-number order.
const (
	AdjAll Class = 1 << iota
	AdjPert
	AdvAll
	NounTops
	NounAct
	NounAnimal
	NounArtifact
	NounAttribute
	NounBody
	NounCognition
	NounCommunication
	NounEvent
	NounFeeling
	NounFood
	NounGroup
	NounLocation
	NounMotive
	NounObject
	NounPerson
	NounPhenomenon
	NounPlant
	NounPossession
	NounProcess
	NounQuantity
	NounRelation
	NounShape
	NounState
	NounSubstance
	NounTime
	VerbBody
	VerbChange
	VerbCognition
	VerbCommunication
	VerbCompetition
	VerbConsumption
	VerbContact
	VerbCreation
	VerbEmotion
	VerbMotion
	VerbPerception
	VerbPossession
	VerbSocial
	VerbStative
	VerbWeather
	AdjPpl
)

var classNames = [...]string{
	"adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal",
	"noun.artifact", "noun.attribute", "noun.body", "noun.cognition",
	"noun.communication", "noun.event", "noun.feeling", "noun.food",
	"noun.group", "noun.location", "noun.motive", "noun.object", "noun.person",
	"noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
	"noun.quantity", "noun.relation", "noun.shape", "noun.state",
	"noun.substance", "noun.time", "verb.body", "verb.change",
	"verb.cognition", "verb.communication", "verb.competition",
	"verb.consumption", "verb.contact", "verb.creation", "verb.emotion",
	"verb.motion", "verb.perception", "verb.possession", "verb.social",
	"verb.stative", "verb.weather", "adj.ppl",
}

// lexPOS is the part of speech ('n','v','a','r') of each lexicographer file.
var lexPOS = func() (p [len(classNames)]byte) {
	for i, n := range classNames {
		p[i] = n[0]
		if n[0] == 'a' && n[2] == 'v' {
			p[i] = 'r'
		}
	}
	return p
}()

// Has reports whether c contains every category in x.
func (c Class) Has(x Class) bool { return c&x == x && x != 0 }

// String lists the categories in WordNet's names, joined by "|", in file
// order (e.g. "noun.feeling|verb.emotion"); the empty set is "".
func (c Class) String() string {
	var b strings.Builder
	for c != 0 {
		i := bits.TrailingZeros64(uint64(c))
		c &^= 1 << i
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		if i < len(classNames) {
			b.WriteString(classNames[i])
		} else {
			b.WriteString("class?")
		}
	}
	return b.String()
}

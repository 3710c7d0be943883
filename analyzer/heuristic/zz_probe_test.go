package heuristic_test
import ("context";"fmt";"testing";"github.com/candorhq/candor/analyzer/heuristic";"github.com/candorhq/candor/guide")
var probes = map[string]string{
"specific": `So this was last March, a Tuesday, I think, at the Leeds call centre. A customer, Mrs. Adeyemi, rang because her pension payment had bounced twice and she was about to miss her rent. She was crying on the phone, and she said, "I've been with you twenty years and nobody will tell me what's going on." I told her, "I'm going to stay on this call until we know." I checked the account and found the bank had changed her sort code in February, so I rang our payments team and got the £640 reissued the same afternoon. I called her back at four to confirm it had landed. She wrote to the branch manager the next week to thank us, and we changed the sort-code check so it couldn't happen again.`,
"habitual": `I always start by listening, that's just how I work. Usually the customer wants to feel heard before anything else, so I typically let them talk first. Then I generally summarise what they said back to them. I normally try to find a quick fix, and I tend to follow up a few days later. Every time I do that, the customer usually calms down. In general, I find that patience is what works best with angry people, and most of the time it pays off.`,
"hypothetical": `What I would do is, first, I'd listen to the customer and let them vent. Then I would acknowledge how they feel, something like I understand this is frustrating. I'd look into the account and see what went wrong. If I were in that position I would probably offer a goodwill gesture, and I would make sure to follow up with them afterwards so they know we care. I'd also share it with the team so we could learn from it.`,
"numbers": `I've handled 10,000 customers over my career, and I keep my satisfaction at 95 percent. I usually close around 40 tickets a day, and my handle time is about 6 minutes on average. I always make sure customers are happy with the result, and my numbers are usually in the top 10 percent of the team. Customers generally tell me they appreciate the care, and I find that the scores speak for themselves.`,
"we": `We had a big problem with delivery complaints at the warehouse. We looked into it together and we found the routes were badly planned. We set up a new schedule and we talked to the drivers. We also changed the way we answered the phones, and we trained the whole group on it. We saw the complaints go down after a while, and we were pretty happy with how we handled it as a team.`,
"cliche": `At the end of the day, it's all about the customer. I always go above and beyond, I put myself in their shoes, and I think outside the box. The customer comes first, that's my north star. I'm passionate about delighting people and creating a win-win, because happy customers are the bottom line.`,
}
func TestZZ(t *testing.T){
 g,_ := guide.Builtin("cx-empathy"); q := g.Questions[0]
 e := heuristic.New()
 for _, k := range []string{"specific","habitual","hypothetical","numbers","we","cliche"} {
  a, err := e.Analyze(context.Background(), q, probes[k]); if err != nil {t.Fatal(err)}
  fmt.Println(k, a.Delivery.Label, a.Delivery.Specificity, a.Delivery.STAR, a.Words)
  for _, s := range a.Delivery.Signals { fmt.Printf("   %s %q\n", s.Kind, s.Quote) }
  for _, w := range a.Warnings { fmt.Println("   W", w.Code) }
  for _, ar := range a.Coverage.Areas { fmt.Print(ar.Status[:3], " ") }; fmt.Println(a.FollowUps)
 }
}

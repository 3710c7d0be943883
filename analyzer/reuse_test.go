package analyzer_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
)

// echoEngine returns a bare analysis of each answer, so that what the run
// adds (story reuse) is all that is tested.
type echoEngine struct{}

func (echoEngine) Info() analyzer.EngineInfo {
	return analyzer.EngineInfo{Name: "heuristic", Model: "echo"}
}

func (echoEngine) Analyze(_ context.Context, q analyzer.Question, text string) (analyzer.AnswerAnalysis, error) {
	return analyzer.AnswerAnalysis{QuestionID: q.ID, Question: q.Text, Text: text,
		FollowUps: []string{"What did you say first?"}}, nil
}

var reuseGuide = &analyzer.Guide{ID: "reuse", Title: "Reuse", Questions: []analyzer.Question{
	{ID: "upset", Text: "Tell me about a customer who was upset with you.", Areas: []string{"what happened"}},
	{ID: "news", Text: "Describe a time you had to give someone news they did not want.", Areas: []string{"what happened"}},
	{ID: "policy", Text: "Tell me about balancing one person's needs against a rule.", Areas: []string{"what happened"}},
}}

// reuseCases: for each candidate, three answers telling one episode and
// three answers telling three different episodes (in the same job, so they
// share the employer and the trade's words).
var reuseCases = []struct {
	name       string
	same, diff [3]string
}{
	{"logistics",
		[3]string{
			"At Northway Freight in March, a client called Dana Ruiz phoned me furious because 40 pallets of her bakery's flour were stuck in our Leeds depot for six days. She had a wedding order on the Saturday. I listened, apologised and promised an answer within the hour.",
			"The hardest news I gave was to Dana Ruiz at Northway Freight, that her 40 pallets would not leave the Leeds depot before her Saturday wedding order. The customs hold was six days. I told her straight away on the phone and offered a courier for the flour she needed most.",
			"With Dana Ruiz, our policy said no split deliveries, but her bakery needed flour for a Saturday wedding and 40 pallets were stuck in the Leeds depot. I got my manager to approve a split so that two pallets went by courier, and the rest followed after the six days.",
		},
		[3]string{
			"At Northway Freight a shop owner in Bristol shouted at me over a lost parcel of ceramics worth £300. I traced the scan history, found it misrouted to Cardiff, and had it on his counter the next morning.",
			"In 2021 I had to tell our drivers that the Christmas bonus was cancelled after we lost the supermarket contract. I met the night shift at 5am so that nobody heard it second hand, and explained what we were doing to win work back.",
			"A pharmacy chain wanted us to skip the temperature log on insulin deliveries to save ten minutes a drop. Northway's rule was strict and I kept it, but I rebuilt the route so they still got their morning slot.",
		}},
	{"software support",
		[3]string{
			"Last autumn a hospital IT lead, Marek Nowak, escalated because our scheduling app crashed for 312 nurses during a night shift in Gdansk. He was angry, and rightly. I stayed on the bridge call until 3am and gave him hourly updates.",
			"I had to tell Marek Nowak that the crash that hit 312 nurses in Gdansk was our bug, not his network, and that the fix needed two more nights. I said it on the call before he read it in the incident report.",
			"Our rule was no hotfixes outside the release train, but Marek's 312 nurses in Gdansk could not schedule shifts. I asked the release manager for an exception and we shipped a patch on the second night.",
		},
		[3]string{
			"A school bursar rang in a rage because invoices printed with the wrong VAT number. I reproduced it, found a template field that had been overwritten in an update, and fixed her invoices that afternoon.",
			"I told our beta customers in June that the offline mode they had been promised would slip by a quarter. I wrote to each of the eleven of them personally and offered a call.",
			"A charity asked for a discount below our floor price. I could not break the pricing rule, so I found them a grant programme that covered half the licence.",
		}},
	{"retail bank",
		[3]string{
			"An elderly customer, Mr Okafor, came into the Harrow branch shaking because £4,200 had left his account to a scam caller posing as his grandson. He was upset and ashamed. I sat with him in the side room and made him tea before anything else.",
			"I had to tell Mr Okafor that the £4,200 he sent to the caller was probably not coming back, because he had authorised the transfer himself. I did it in the Harrow side room, slowly, and gave him the fraud team's direct number.",
			"Policy said an authorised push payment was the customer's loss, but Mr Okafor was 84 and had been scripted by the scammer. I wrote up the vulnerability case and the bank refunded the £4,200 in the end.",
		},
		[3]string{
			"A young couple were angry that their mortgage offer expired while our valuer was on leave. I chased a second valuer across three branches and got the offer reissued before their chain collapsed.",
			"When we closed the Wembley counter, I had to tell the regular market traders that cash deposits would move to the post office. I visited each stall with a printed map and the new opening hours.",
			"A small business wanted an overdraft extended past our limit for a seasonal order. I kept the limit but arranged a short trade loan against the purchase order instead.",
		}},
	{"hospitality",
		[3]string{
			"At the Lakeside Hotel a bride's mother, Ingrid Sørensen, found the marquee for 120 guests had flooded overnight. She was in tears at reception at 7am. I took her to the lounge, listened, and promised a plan by nine.",
			"I had to tell Ingrid Sørensen that the flooded marquee could not be used and that the 120 guests would have to eat in the conservatory, which seats fewer. I showed her the floor plan before telling the bride.",
			"Our rule caps the conservatory at 100, but Ingrid's wedding had 120 guests and the marquee was flooded. I got the fire officer to approve extra exits for one night so nobody was turned away.",
		},
		[3]string{
			"A business traveller was furious that his room was not ready at 2pm after a red-eye flight. I gave him the spa's shower and a quiet table, and upgraded his room when it was ready.",
			"I told the kitchen team that the Sunday carvery was being cut because it lost money every week. I explained the numbers in the staff meeting and asked who wanted to design the new menu.",
			"A family asked to bring their dog into the restaurant though dogs are only allowed in the bar. I set them a table by the bar's garden door so they could eat together.",
		}},
	{"utilities",
		[3]string{
			"In the January cold snap, a tenant named Paul Whitfield rang because his heating had failed and his baby was ten weeks old. He was frightened more than angry. I booked an engineer for that evening and stayed on the line while he checked the boiler pressure.",
			"I had to tell Paul Whitfield that the engineer could not come until the next morning because of the snow, with a ten-week-old baby in a cold flat. I called him back myself rather than sending a text, and arranged two heaters by taxi.",
			"The rule is that heaters are only lent after an engineer's visit, but Paul Whitfield's baby was ten weeks old and the snow had closed the roads in January. I signed the loan off myself and logged the reason.",
		},
		[3]string{
			"A landlord was angry about an estimated bill of £900 for an empty flat. I got the meter read that week, the real figure was £60, and I corrected it with an apology.",
			"I had to tell a community centre that its discounted tariff was ending. I met the trustees, showed them the new rate and helped them apply for the hardship fund.",
			"A customer with a prepayment meter asked us to skip the debt recovery rate for a month after a funeral. I used the discretion the policy allows and paused it for four weeks.",
		}},
	{"nursing",
		[3]string{
			"On Ward 7 a patient's son, Tom Achebe, shouted at me because his father had waited eleven hours for a bed in A&E. I took him to the relatives' room, let him finish, and told him exactly where his father was in the queue.",
			"I had to tell Tom Achebe that his father's surgery was postponed again, after the eleven hours in A&E, because the theatre on Ward 7 was needed for an emergency. I asked the surgeon to come with me to explain.",
			"Visiting on Ward 7 ends at eight, but Tom Achebe's father was frightened after eleven hours in A&E and a cancelled operation. I let Tom stay overnight in the chair and told the night sister why.",
		},
		[3]string{
			"A woman was angry that her mother's hearing aids had gone missing on the ward. I searched the laundry with a porter, found them, and started a property checklist at admission.",
			"I had to tell a newly qualified nurse that she had failed her medicines assessment. I did it privately, went through each error, and booked her a retake with a mentor.",
			"A family wanted to bring in home-cooked food for a diabetic patient. I could not ignore the diet plan, so the dietitian and I agreed portions they could bring.",
		}},
}

func reusedIn(rep *analyzer.Report) map[string]analyzer.Warning {
	out := map[string]analyzer.Warning{}
	for _, w := range rep.Warnings {
		if w.Code == analyzer.WarnStoryReused {
			out[w.QuestionID] = w
		}
	}
	return out
}

func analyzeThree(t *testing.T, texts [3]string) *analyzer.Report {
	t.Helper()
	var answers []analyzer.Answer
	for i, q := range reuseGuide.Questions {
		answers = append(answers, analyzer.Answer{QuestionID: q.ID, Text: texts[i]})
	}
	rep, err := analyzer.Analyze(context.Background(), echoEngine{}, reuseGuide, answers, analyzer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestStoryReuse: one episode told for three questions raises story_reused
// on all three, each naming the other questions with a quote from each and
// asking for a different example; three different episodes raise none.
func TestStoryReuse(t *testing.T) {
	hits, misses, falseAlarms := 0, 0, 0
	for _, tc := range reuseCases {
		t.Run(tc.name, func(t *testing.T) {
			rep := analyzeThree(t, tc.same)
			got := reusedIn(rep)
			for i, q := range reuseGuide.Questions {
				w, ok := got[q.ID]
				if !ok {
					misses++
					t.Errorf("same episode: no %s on %s; warnings %+v", analyzer.WarnStoryReused, q.ID, rep.Warnings)
					continue
				}
				hits++
				for j, o := range reuseGuide.Questions {
					if j != i && !strings.Contains(w.Message, o.ID+": \"") {
						t.Errorf("%s: warning does not quote %s: %s", q.ID, o.ID, w.Message)
					}
				}
				if w.Span == nil || []rune(tc.same[i])[w.Span.Start] != []rune(w.Span.Quote)[0] {
					t.Errorf("%s: span %+v does not point into the answer", q.ID, w.Span)
				}
				a := rep.Answers[i]
				if len(a.FollowUps) == 0 || !strings.Contains(a.FollowUps[0], "different example") {
					t.Errorf("%s: first follow-up %q does not ask for a different example", q.ID, a.FollowUps)
				}
				if !slices.ContainsFunc(a.Warnings, func(w analyzer.Warning) bool { return w.Code == analyzer.WarnStoryReused }) {
					t.Errorf("%s: the answer's own warnings lack it", q.ID)
				}
			}
			rep = analyzeThree(t, tc.diff)
			for q, w := range reusedIn(rep) {
				falseAlarms++
				t.Errorf("different episodes: %s on %s: %s", analyzer.WarnStoryReused, q, w.Message)
			}
		})
	}
	t.Logf("story reuse over %d candidates: %d of %d reused answers flagged, %d missed, %d false alarms on %d answers telling different episodes",
		len(reuseCases), hits, 3*len(reuseCases), misses, falseAlarms, 3*len(reuseCases))
}

// TestStoryReuseNotAcrossCandidates: two reports are never compared, so
// two candidates who tell the same story each get a clean report.
func TestStoryReuseNotAcrossCandidates(t *testing.T) {
	tc := reuseCases[0]
	for i := range tc.same {
		one := [3]string{tc.same[i], tc.diff[(i+1)%3], tc.diff[(i+2)%3]}
		if i != 0 {
			one = [3]string{tc.diff[0], tc.diff[1], tc.diff[2]}
			one[i] = tc.same[i]
		}
		if got := reusedIn(analyzeThree(t, one)); len(got) > 0 {
			t.Errorf("report %d with one telling of the episode: %v", i, got)
		}
	}
}

#!/usr/bin/env python3
"""Writes fair/answers.jsonl and planted/answers.jsonl for the audit tests.

The answers are invented for Candor's tests. Groups "english" and "spanish"
tell the same eight stories (names and places changed); "tagalog" has three
stories of its own (a group below the minimum size) and no gender stated. Each story
is told once by a woman and once by a man, so the gender groups match too. In planted/, the
"spanish" group's answers are rewritten as generic, rehearsed answers to the
same questions: the difference an audit must flag. Run it from this folder.
"""
import json, os

stories = [
 ("q1", "In March 2022 I ran the phone desk at a gym chain in {city}. A member called {p1} rang because we had charged her twice for the same month and her card was blocked on holiday. She was shouting that she had no money abroad. I told her the error was ours and stayed on the call while I raised the refund with finance, then I phoned her bank myself to confirm it. The money was back in two days and she wrote to thank us. I learned to say the mistake out loud first."),
 ("q2", "Last year at a parcel company in {city} I read thirty chat logs a week, and I noticed that customers asking where a parcel was kept using the word scared when it held medicine. Nobody had counted that. I tagged two hundred chats, showed {p1} in operations that medicine parcels took three times longer to trace, and we added a priority flag. Complaints about lost prescriptions fell from forty a month to nine by December."),
 ("q3", "In 2021 I redesigned the cancellation letter at an energy supplier in {city}. I sat with {p1}, a customer who had cried reading our old letter after her husband died, and she showed me the paragraph that blamed her for missed payments. I rewrote it with her, removed the penalty wording and added a named contact. Calls from bereaved customers dropped by a third in six months, and the complaints team stopped escalating them."),
 ("q4", "At a bank in {city} in 2020 I coached a new agent, {p1}, who rushed elderly callers. I listened to ten of his calls with him, and he heard himself interrupt a woman six times. We agreed he would pause and repeat back one sentence before solving anything. I sat in on his calls every Tuesday for a month. His satisfaction score went from 71 to 88, and by summer he was training two new starters on the same habit."),
 ("q5", "In 2023 our product team in {city} wanted to remove phone support for small business users. I brought {p1}, a bakery owner, into the planning meeting by video, and she explained how she called us at five in the morning before opening. The director had never heard a customer say it. We kept the early phone line and moved the chat launch back by a quarter. Churn among bakeries and cafes stayed under two percent that year."),
 ("q6", "At a hotel group in {city} in 2019 I read every review that mentioned the word lonely, forty-one of them, mostly business travellers eating alone. I printed ten and read them aloud at the managers meeting, and {p1} from food service cried. We started a shared table at breakfast and a note from the night manager. Our review score for solo guests went from 7.9 to 8.6 within the year, and the shared table is still there."),
 ("q7", "In 2022 at a telecom firm in {city} my director wanted every repair call under six minutes. I pulled the data and found that calls with customers over seventy took eleven minutes but had half the repeat calls. I showed {p1}, the director, that the short calls came back twice. We agreed a separate target for older customers. Repeat calls fell by eighteen percent and average handling time overall went up by only forty seconds."),
 ("q8", "In 2020 I had to tell four hundred customers of a furniture shop in {city} that their orders would be three months late because a factory closed. I wrote the script myself with {p1} from logistics, called the first fifty personally, offered a full refund or a free delivery slot, and said the delay was our fault. Only sixty cancelled, and the rest kept their orders. One customer sent a card to the call centre after her sofa arrived."),
]
small = [
 ("q9", "In 2021 at a clinic in {city} I mapped the journey of a patient booking a scan, with {p1}, a nurse, over two afternoons. We put every step on a wall and found the worst moment was waiting four days for a letter. We switched to a text message on the same day. Missed scans went down from twelve percent to five, and {p1} now runs the mapping sessions herself."),
 ("q10", "In 2022 a customer called {p1} at a courier in {city} felt ignored after three emails about a broken parcel went unanswered. I called her the same afternoon, read her emails back to her, and apologised for each one. I replaced the parcel by courier the next morning and gave her my direct line. She rang two weeks later to order again, and we changed the inbox so no email waits more than a day."),
 ("q11", "In 2023 a restaurant owner, {p1}, gave us a zero in our survey in {city} after a delivery app outage cost her a Friday night. I visited her on Monday, listened for an hour, and paid back her lost commission from that night. I set her up with an alert so she heard about outages first. Six months later she scored us ten and sent us two other restaurants from her street."),
]
generic = [
 ("q1", "When a customer is angry I always stay calm and let them vent. I think empathy is the key, so I put myself in their shoes, I acknowledge their feelings and then I focus on finding a solution. I would follow up afterwards to make sure they are happy. For me, every complaint is an opportunity to turn things around."),
 ("q2", "I am the kind of person who notices small things. I always look at the data and listen to customers, and when I see a gap I raise it with the right people. I believe in being proactive rather than reactive, and I would make sure the fix is measured so we know it worked."),
 ("q3", "My approach to redesigning a process is to start with the customer. I would gather feedback, map out the pain points and then simplify the steps. Empathy should be built into every touchpoint. I always test changes with real users and measure satisfaction before and after."),
 ("q4", "I believe coaching is about leading by example. I would sit with the team member, listen to their calls and give balanced feedback. I always use the feel, felt, found technique and I encourage people to see the customer as a person. Over time they usually become much more empathetic."),
 ("q5", "I see myself as the voice of the customer. Whenever stakeholders lose sight of the customer I bring data and stories to the table. I would share customer quotes and invite people to listen to calls. In my experience, once people hear the customer directly they change their minds."),
 ("q6", "I always make sure customer feedback drives change. I read comments regularly, look for themes and present them to leadership with the emotion behind them. I would use verbatim quotes so the feelings are not lost. Feedback is a gift, and acting on it is what great organisations do."),
 ("q7", "There is always a balance between efficiency and care. I would look at both the metrics and the customer experience, involve the stakeholders and find a middle ground. In my view the customer should come first, but you also need to respect the business. Usually there is a solution that works for both."),
 ("q8", "When I have to deliver bad news I am always honest and transparent. I would explain the reason, acknowledge how the customer feels and offer alternatives where possible. I believe people accept bad news better when they feel respected. Communication and empathy are the most important things in those moments."),
]

def item(i, q, text, lang, gender, label, spec):
  group = {"first_language": lang}
  if gender:
    group["gender"] = gender
  return {"id": i, "question_id": q, "text": text, "label": label, "specificity": spec, "group": group}

eng = [("Leeds", "Hannah"), ("Bristol", "Laura"), ("Norwich", "Emily"), ("York", "Daniel"),
       ("Derby", "Rachel"), ("Bath", "Sarah"), ("Exeter", "Karen"), ("Hull", "Megan")]
spa = [("Valencia", "Lucia"), ("Sevilla", "Carmen"), ("Bilbao", "Isabel"), ("Malaga", "Javier"),
       ("Granada", "Rosa"), ("Murcia", "Gabriela"), ("Zaragoza", "Alejandra"), ("Vigo", "Daniela")]
tag = [("Cebu", "Maricel"), ("Davao", "Rowena"), ("Manila", "Jocelyn")]

def build(planted):
  out = []
  for k, (q, s) in enumerate(stories):
    c, p = eng[k]
    out.append(item("en-%d" % (k + 1), q, s.format(city=c, p1=p), "english", "female" if k % 2 == 0 else "male", "specific", 85))
  for k, (q, s) in enumerate(stories):
    c, p = spa[k]
    if planted:
      out.append(item("es-%d" % (k + 1), generic[k][0], generic[k][1], "spanish", "female" if k % 2 == 1 else "male", "rehearsed", 10))
    else:
      out.append(item("es-%d" % (k + 1), q, s.format(city=c, p1=p), "spanish", "female" if k % 2 == 1 else "male", "specific", 85))
  for k, (q, s) in enumerate(small):
    c, p = tag[k]
    out.append(item("tl-%d" % (k + 1), q, s.format(city=c, p1=p), "tagalog", "", "specific", 85))
  return out

for name, planted in (("fair", False), ("planted", True)):
  os.makedirs(name, exist_ok=True)
  with open(os.path.join(name, "answers.jsonl"), "w") as f:
    for it in build(planted):
      f.write(json.dumps(it, ensure_ascii=False) + "\n")

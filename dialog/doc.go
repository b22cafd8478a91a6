// Package dialog decides what the bot does with one customer message: the
// Policy interface takes a Turn (the conversation, the new message and the
// conversation's State) and returns a Reply (the bot's messages, the new
// State and, when the bot cannot or should not go on, a Handoff to a
// person with its reason and evidence).
//
// HandoffPolicy queues every conversation for a person. Assistant is the
// bot.
//
// # The Assistant, turn by turn
//
// Every turn counts in State.Turns, runs the NLU (when no model can answer,
// EUNAVAILABLE, the message is taken as a question), settles the language
// (State.Lang is set from the conversation or the first message plainly in
// one language and changes only when the customer plainly writes in the
// other: "ok" or an order number does not switch it), scores the sentiment
// into State.Sentiment (a scorer error costs the turn its score, not its
// answer) and remembers the entities (the last value per type) and the
// intent (the newest MaxIntents).
//
// A message asking several questions ("where's my lamp and where's my
// keyboard", "…能改成king的吗？还有我有两张券能一起用吗") is first cut where
// the next question plainly starts (a question mark with more after it,
// also/还有/另外, ", and where…"); each part, when every part is readable
// and understood alone and no two are one help-center topic, goes through
// the policy below as if sent alone, and the answers come in order in one
// reply (multi.go). Offers a part makes wait for the next message.
//
// When no flow is in progress, before clarification (step 4), a message
// about the customer's own orders is answered for the order it names
// (orders.go): asking where, when, whether shipped or delivered, or for
// the tracking ("hi where's my desk lamp", "充电器什么时候到", "手表今天能到吗")
// and naming one or more of the signed-in customer's orders by what was
// bought or as the newest (flow.Engine.NamedOrders, the offers' resolver,
// on list_orders), it runs the order status (or tracking) flow, which
// answers for that order or offers only those; "what orders do i have" /
// "我有哪些订单" lists them; a customer not signed in is told to sign in.
// A model torn between two intents is settled by the state of the one
// order named: only one of the two flows may serve it (Engine.Admits: a
// cancelled order's money is a refund, not a cancellation). A flow started
// for an order named this way never reuses the order of earlier turns.
// Right after an order's status, a question about its state naming no
// other order ("is it stuck? the status hasnt changed") is answered for
// the same order again, and a follow-up naming another order by what was
// bought and no task in words ("my keyboard order then", "那耳机那单呢")
// gets that order's status whatever task the model reads in it
// (statusagain.go).
//
// Then the policy, in this order:
//
//  1. Back from a person: when State.Escalation is set, a person handed the
//     conversation back; the escalation, any flow, clarification, fallback
//     count and negative run are cleared and the turn goes on.
//  2. Escalation rules on the message, first match wins (an angry
//     complaint escalates as anger, still marked VIP for routing):
//     - customer_request: the intent is human_agent (unless the message
//     answers the flow in progress: "skip" is not a request for a person),
//     or the message names a person in so many words (人工, 转人工, 真人,
//     找个人问问, agent, human, real person) or in other words (whether
//     someone real is there: "anyone real I can talk to", "who else is
//     there", "客服在不在", "有没有工作人员"; the bot turned down for one: "not
//     doing this with a program", "不想跟机器人聊", "换个人") however unsure
//     the model is,
//     unless it turns the person down ("no need for a human",
//     "本来想转人工的，算了"). Evidence: intent and confidence, or the phrase.
//     - anger: the message's Score.Anger ≥ Rules.Anger, or it shouts (in
//     capitals), swears, calls names, threatens or, voicing a grievance,
//     demands a fix at once ("this is ridiculous, I want it sorted today")
//     in anger; asking whether anyone will deal with it at all ("你们到底管
//     不管", "does anyone even care") hands off at once. Below
//     Rules.AngerAtOnce, the first angry message (the one before was not
//     angry) is answered first (an apology, the answer, an offer of a person) and
//     the bot keeps the conversation; otherwise the answer, if any, is
//     given and the conversation handed off ("answer and queue", keeping a
//     flow's question). upset.go. Evidence: anger, threshold, hostile.
//     - negative_trend: Rules.NegativeTurns negative messages in a row,
//     the trend's EWMA ≤ Rules.NegativeTrend, and the message itself voices
//     the discontent (polarity ≤ Rules.NegativeLast, not a goodbye or
//     thanks). Evidence: negative_run, ewma, threshold. A message that asks
//     for a task the bot carries out itself (a flow that acts: cancel,
//     change the address, return), the model sure and no grievance in its
//     words ("算了不等了 cancel掉吧"), is done first, with an apology and,
//     once no flow waits, an offer of a person (rules.go asksToAct).
//     - vip_complaint: the intent is complaint and the shop's get_member
//     says the customer's tier is in Rules.VIPTiers. Evidence: tier. A
//     member of those tiers voicing dissatisfaction in another message
//     ("pretty disappointed", "体验不太满意") is answered, then handed off
//     the same turn (upset.go). Evidence: tier, grievance.
//     - complaint: any other complaint. Evidence: intent, confidence.
//     - no_automation, harm only staff can repair (staffonly.go): a
//     wrong charge or a short refund, an account someone else uses or
//     orders the customer never placed, an item missing from the parcel
//     ("I never placed these orders", "里面只有卫衣，拖鞋没看到") is
//     answered from the help center when it knows how, told what the bot
//     cannot do, and handed off at once; a taken-over account gets the
//     freeze steps (the customer's own to take) and an offer of a person,
//     at once only when the customer is locked out (a changed password,
//     "登不上去了") or asks for what only staff can do; a double payment the shop
//     refunds by itself is offered a person until that time has passed
//     ("3 days ago and still nothing"), and so is a problem the customer
//     is unsure of ("是不是号被盗了", "i think someone got in") unless
//     they ask what to do or for it to be dealt with. A gift ("朋友送的
//     不是我买的") is no stranger's order. Questions about such problems in
//     general ("what if I get charged twice?") are only answered.
//     Evidence: need, phrase.
//  3. A flow in progress (State.Flow): first (flowturn.go) a cancel
//     phrase followed by a question ("算了先不退了 发票呢") drops the flow
//     and the rest of the message is answered as the turn; a refund,
//     parcel or status question about another order named by what was
//     bought is answered for that order on the side and the flow's
//     question asked again; during a return, a question about its refund
//     ("where would the money go") is the help center's (there is none
//     yet); another task the model reads and the words name or put
//     instead ("swap it for an L instead") drops the flow for it, even
//     where a free-text answer would take the words. Then a cancel phrase (算了, 不用了, 取消吧,
//     never mind, forget it, cancel that, stop) drops it with a short
//     acknowledgement, unless the flow takes it as an answer to a question
//     other than free text (the "no" of a confirmation, the skip of an
//     optional question) or the message gives a value ("没拆封 照片不用了"). An answer the flow accepts (Engine.Accepts) goes to
//     the flow. A confident other task intent drops the flow (at a
//     confirmation only when the message names the task or an order:
//     "快点行不行" asks the confirmation again), says so, and
//     starts that task's flow (a task no flow runs goes to a person as
//     no_automation); a message that is only a yes or a no ("确认") is an
//     answer whatever task the model reads in it. Greetings and thanks are
//     answered and the flow's question asked again; a goodbye in so many
//     words (再见, bye, that's all) drops the flow. A help-center
//     question (a knowledge intent, or an unplaced message the knowledge
//     base knows) is answered and the flow's question asked again. Anything
//     else goes to the flow, which asks again (and hands off as flow_stuck
//     after flow.MaxRetries). Right after a flow that confirms before it
//     acts has finished, a bare yes ("嗯嗯确认", "yes submit") is told what
//     was done (State.DoneSay) instead of being asked to rephrase.
//  4. Clarification: after the bot asked which of two intents was meant
//     (State.Clarify), "第一个/前者/1/the first", "第二个/后者/2/the second", the
//     intent itself or a keyword naming one option picks it, and the turn
//     runs as that intent (a question is asked with the text that was
//     ambiguous); anything else clears the question and is handled as
//     usual. An ambiguous intent whose top two labels are both tasks or
//     help-center questions asks "您是想查询订单状态，还是申请退货？", except
//     when the choice is plain: two intents served alike (order status and
//     shipment tracking) take the first; when the message names an order or
//     parcel, a keyword of only one option takes it ("订单DD…要退货"), else a
//     task wins over a help-center question. Before asking (clarify.go):
//     the topic of the last few turns, when it is one of the two, takes it
//     ("钱多久到" after a refund); a message naming something the customer
//     bought (a product or a date as well) takes the one option a keyword
//     names, else a task it names by its keyword ("the scarf from
//     monday, send it back?"); and the help center's answer is given when it
//     is confident (KBMargin above its threshold and quoting an article
//     the model reads as one of the two, or KBSure, or any article when
//     the model could not place the message at all: below PlaceConfidence,
//     unplaced.go). A question the model
//     only weakly takes for a task (below SureConfidence), naming nothing
//     bought, is answered the same way first, then the task is offered.
//     Position and keyword picks count only in short replies; a longer
//     message is a new request unless the model is sure it is one of the
//     options. A "no" to an offered person that asks for something new
//     ("no, return DD… instead", "不弄了 直接取消吧") is that request.
//  5. Elliptical follow-ups: a short message the model could not place
//     (out_of_scope or ambiguous) that carries an entity or a follow-up cue
//     (那…, …呢, what about, and the…) takes the topic it names ("那退货呢？"
//     → return_request) or else the last task or question: "那DD202611050002呢"
//     re-runs the last task with that order; "and the blue one?" asks the
//     last question (State.Question) again with what the message adds.
//     An ambiguous follow-up settled this way to one of the model's top two
//     ("what about returns?" after an order) is not asked about.
//     A short question the model is unsure of (below SureConfidence, or
//     torn), within two turns of a help-center answer and naming nothing
//     bought ("weekends?", "ok 那质量问题呢", "and who pays for sending it
//     back"), is asked of the help center as the last question with its
//     words, else as it is (with the last question as its Topic); the
//     first answer KBMargin above the threshold is given (followup.go).
//     So is a short message the model is sure of when it is of the
//     answered question's own intent ("我就普通会员 银卡那种" after the
//     member-day discounts): another value or facet of the same topic (a
//     question of its own words is asked as it is first). When the
//     follow-up asks for another kind of answer ("how long" after "how
//     much"), the words that asked the first kind leave the last
//     question (rag.WithoutKind). After a follow-up the question as
//     continued is the topic of the next one. An "ok"/"thanks" in front
//     of a follow-up ("ok 那质量问题呢") is no goodbye.
//  6. Task intents start their flow with the entities known so far as
//     carry (State.Entities), so "那退货呢？" after talking about an order
//     starts the return for it. A task without a flow (or without Flows)
//     is answered from the knowledge base when it knows the answer, else
//     handed off as no_automation (in a flow as well). A question on how
//     a task works naming no order ("退款多久到账") is answered from the
//     help center and the task offered for an order; a further question
//     about that task right after ("要等你们收到货才退是吧") is answered
//     the same way instead of starting the flow. A flow started with no
//     order known, for a message naming none, takes the order of a
//     product named in the last few turns when it is in exactly one
//     order the flow serves (earlier.go). A request to answer in the
//     other language ("can you answer in english pls", "用中文回复")
//     switches State.Lang, and right after a task's answer gives it again
//     in that language (asklang.go). Right after a task's answer for an
//     order, a question pointing back at it and naming another task
//     ("ok can i return it once it arrives then") runs that task for the
//     same order (othertask.go). A question about a product or the
//     policy rather than a problem stated ("修身牛仔裤洗了会掉色吗", "will
//     the coat pill", "充电宝能带上飞机吗"; asksabout.go reads the form:
//     asked, the problem supposed, nothing asked for) starts no task and
//     no after-sales path, and is not shown an order: the help center's
//     confidence answers it or declines and offers a person.
//  7. Greetings, thanks and goodbyes get a short answer; a goodbye only
//     the model reads, in a message that asks something or says what is
//     wrong with an item, is answered as a question. Right after a return
//     turned down past both windows for an order still under warranty, a
//     fault described, the warranty named or whether it is covered
//     asked ("is that covered by anything?") gets that order's warranty
//     (the warranty flow), and how to claim or how long a repair takes the
//     help center's answer on the warranty (fault.go).
//  8. Help-center questions are answered from the knowledge base with their
//     sources. An answer the base does not know counts as a fallback.
//  9. A message nothing understands, which the knowledge base does not know
//     either, gets a rephrase request with examples and counts as a
//     fallback.
//
// A fallback that makes Rules.Fallbacks in a row says what the bot can do
// and offers a person (a yes hands off as repeated_fallback); in a flow it
// hands off at once (evidence: fallbacks). Questions on how to reach the
// shop (phone, e-mail, opening hours: contact.go) are answered from the
// help center before any rule, even when they name a person. While the
// customer waits in the queue (queue.go) the bot lets them leave (and
// serves a request made in the same breath: "不等了 把台灯那单取消掉", or
// says how else to reach the shop when asked: "不等了 客服邮箱多少"),
// tells them where they stand, and otherwise serves them as usual; a
// question with only a "算了" or "我自己去查" by it keeps their place.
// While a return is being set up or right after it was submitted, a
// question about its postage ("do I pay the 12 yuan label?") is answered
// from the shop's quote for that return: free of postage, or the label
// fee taken off the refund; the flow's question is then asked again
// (postage.go).
//
// Outcomes that hand off: the flow's own
// handoffs: action_failed when a backend action fails (evidence: flow,
// step, action, error), flow_stuck, and the handoff steps of flows. Any
// understood turn resets the fallback count.
//
// Every handoff sets State.Escalation and Reply.Handoff (reason, intent,
// evidence, the sentiment trend's EWMA, and VIP when the member tier is in
// Rules.VIPTiers), drops any flow, and tells the customer in their
// language why a person is joining, that they can keep writing and that
// the person sees the whole conversation.
package dialog

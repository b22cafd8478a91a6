// Package flow runs task flows: the multi-turn conversations in which the
// bot collects values from the customer (slots), calls the shop's backend
// and answers from the result — order status, shipment tracking, cancel
// order, change address, return request, refund status, talk to a human.
//
// Flows are declared in YAML, not code. Builtin returns the flows shipped in
// dialog/flow/flows (embedded); Load reads every *.yaml and *.yml file of a
// folder (config dialog.flows_dir); Parse reads one file. All three
// validate everything at load time and report the file, the step or slot,
// and the field (EINVALID).
//
// The main types: Flow (one parsed flow), Engine (runs flows; holds no
// per-conversation state, so one Engine serves every conversation), Run (a
// flow in progress, plain data stored with the conversation's dialog
// state), Backend (the shop's actions; the demo shop and the webhook adapter
// implement it), Input and Output (one customer message in, the bot's
// messages and the flow's state out).
//
// # File format
//
// A flow file has:
//
//   - name: the flow's name (lower_snake_case, unique).
//   - intents: NLU intent labels that start it (one intent starts at most
//     one flow: NewEngine checks).
//   - description: for people.
//   - slots: name → slot. A slot's type is an NLU entity type (order_id,
//     tracking_number, phone, email, amount, date, product: filled from
//     the message's entities of that type), text (free text of min..max
//     characters, default 2..200) or choice (options, each with a value,
//     a label {zh, en} and synonyms per language). prompt {zh, en} asks for
//     it; invalid {zh, en} is said when an answer does not fit (default: a
//     short apology and the prompt). optional: true lets the customer skip
//     it ("没有", "不用", "跳过", "skip", "no", ...; the value is then "").
//     or: <slot> makes two entity slots answer one question (an order id
//     or a tracking number): asking either accepts both types, and only one
//     is filled. early: false keeps a slot from being filled from messages
//     that answer something else (default: true for entity and choice
//     slots, never for text). aliases {zh, en} are words that name the
//     slot in a correction ("不对，地址错了"); entity slots have defaults.
//     A slot with early: false is still filled from a message that names
//     it by an alias ("照片没拍", "no photos yet" while the reason is
//     asked). otherwise: <option> (choice) is the option a free-text
//     answer to the slot's question takes when it names none (the
//     customer's own words for "other"; not a question, yes/no or another
//     request). allowed: <data key> (choice) names the last result's list
//     of the option values that apply (space-separated, as quote_return's
//     reasons): the quick replies offer only those. shape: address (text)
//     recognises an address typed out in any message (a Chinese address
//     with its divisions, a number and street, and a house number; or a
//     street number and street word), before it is asked or instead of
//     the one about to be confirmed.
//   - steps: a list run in order. Each has an id and does one thing:
//     ask: <slot> (skipped when the slot is filled); call: <action> with
//     params (templates; a parameter that renders empty is left out),
//     on: {<status>: <step id>, error: <step id>} (unlisted statuses go to
//     the next step) and mutates: true for an action that changes something
//     (built in for cancel_order, change_address and create_return);
//     confirm: {zh, en}, a yes/no question, with yes: <step id> (default:
//     the next step), no: <step id> (required) and yes_words {zh, en}
//     (words that also mean yes here: "取消吧" to "cancel the order?"); say: {zh, en}, optionally
//     followed by goto: <step id> or end: true; handoff: <reason>, with an
//     optional say (the message; default: a person will take over), which
//     ends the flow; goto: <step id>; end: true; then: <flow>, optionally
//     after a say, ends the flow and starts that flow for the same order
//     (the entity slots filled so far), whose messages follow in the same
//     reply: a return asked for an order already returned gives its
//     refund's status (one hop: the flow named goes on to no other, checked
//     by NewEngine). clear: [slots] on any step
//     empties those slots first, so an ask after it asks again. Running
//     past the last step ends the flow.
//   - when: a condition on any step; the step runs only when every part
//     holds and is skipped (on to the next step) otherwise. Parts:
//     customer: true|false (the conversation has a customer_ref or not),
//     filled: [slots] (all have a value), empty: [slots] (none has),
//     status: [statuses] (of the last action; "error" for a failed call),
//     result: {key: [values]} (the last action's data; compared as text,
//     so a count of 1 is "1", and a missing key is ""). A when on a goto
//     step is a branch on data: when: {result: {status: [delivered]}}
//     with goto: ask_reason, followed by the step for everything else.
//   - offer: on an ask step for an entity slot, offers the items of a list
//     in the last action's result instead of only asking: list: the data
//     key of the list (orders), value: the item key holding the slot's
//     value (order_id), where: {key: [values]} keeps only matching items
//     (status: [paid]), max: how many (1..9, default 5, in the list's
//     order, so the newest first for list_orders). one {zh, en} is the
//     yes/no question for a single item (.item); many {zh, en} lists
//     several (.offer, each item with .n from 1). The customer answers yes
//     or no to one item, a position to several ("2", "第二个", "the
//     second one", "the last one", "最近的那个"), the last digits of a
//     value ("尾号 0002"), or a value of the slot's type. No ("不是", "都不
//     是", "none of them", "another one") drops the offer and asks the
//     slot's prompt. confirms: true makes the question for a single item
//     the confirmation too: a yes to it answers the confirm step that
//     follows without another question in between (so it should say what
//     the confirm would: "Cancel order DD…? It can't be restored").
//     When the last result has no such items (an empty
//     list, a failed call, another action's result) the ask asks its
//     prompt, so an offer is made once: going back to the ask after a
//     correction asks for the value.
//
// Texts and params are text/template templates, parsed at load time, over
// .slots (name → value), .labels (a choice slot's option label in the
// answer's language), .result (the last action's Result.Data), .status (its
// status, or "error" when the call failed) and .lang ("zh" or "en"). A
// missing key renders as "". References to unknown slots are load errors.
// The function order_status names an order status of the action contract
// (pending_payment, paid, shipped, delivered, cancelled, returned) in the
// text's language: {{order_status .item.status}} is "已付款，待发货" or
// "paid, not shipped yet", or the run's shop's own words for it (tenant
// overrides in the catalogue; from_today likewise).
// The function from_today says a day as counted from today, from the
// backend's number of days (eta_days) or else its day word (eta_day):
// {{from_today .result.eta_days .result.eta_day}} is "后天" or "the day
// after tomorrow" for "2", "5 天后" or "in 5 days" for "5", "" when
// neither says. The function day_date says an expected day the one way
// every reply says one, from the catalogue (day.dated): {{day_date
// .result.eta .result.eta_days .result.eta_day}} is "3 天后（2026-11-11，
// 周三）" or "in 3 days (2026-11-11, Wednesday)", "" when from_today is.
//
// Load also rejects: unknown fields, steps or slots; slots no step asks;
// unreachable steps; two ids alike; a step doing two things; a text without
// both languages; an empty when, or one naming unknown slots; an offer not
// on an entity slot's ask; and a call that changes something which some
// path reaches without a confirm step after the last ask before it (a
// confirm with a when counts as skippable).
//
// An example (the return flow, shortened). When the customer gives no
// order id and the conversation has a customer_ref, it lists the
// customer's orders and offers the delivered ones; it turns down an order
// that is not delivered before asking anything else:
//
//	name: return_request
//	description: Opens a return after the customer confirms.
//	intents: [return_request]
//	slots:
//	  order_id:
//	    type: order_id
//	    prompt: {zh: 请问要退哪个订单？, en: "Which order would you like to return?"}
//	  reason:
//	    type: choice
//	    options:
//	      - value: quality
//	        label: {zh: 质量问题, en: quality problem}
//	        synonyms: {zh: [质量, 坏了], en: [broken, defective]}
//	      - value: size
//	        label: {zh: 尺码不合适, en: wrong size}
//	        synonyms: {zh: [太大, 太小], en: [too big, too small]}
//	    prompt: {zh: 请问退货原因是？, en: "What's the reason for the return?"}
//	  photos:
//	    type: choice
//	    optional: true
//	    early: false
//	    options:
//	      - {value: "yes", label: {zh: 有照片, en: with photos}, synonyms: {zh: [有], en: ["yes"]}}
//	      - {value: "no", label: {zh: 没有照片, en: no photos}, synonyms: {zh: [没有], en: ["no"]}}
//	    prompt: {zh: 有照片可以上传吗？没有可以跳过。, en: "Do you have photos? If not, say skip."}
//	steps:
//	  - id: find_orders
//	    when: {customer: true, empty: [order_id]}
//	    call: list_orders
//	    on: {error: ask_order}
//	  - id: ask_order
//	    ask: order_id
//	    offer:
//	      list: orders
//	      value: order_id
//	      where: {status: [delivered]}
//	      one:
//	        zh: 您要退的是订单 {{.item.order_id}}（{{.item.items}}）吗？
//	        en: "Is it order {{.item.order_id}} ({{.item.items}}) you'd like to return?"
//	      many:
//	        zh: |-
//	          要退哪一个？回复序号，或者告诉我订单号。
//	          {{- range .offer}}
//	          {{.n}}. {{.order_id}}（{{.items}}，{{order_status .status}}）
//	          {{- end}}
//	        en: |-
//	          Which one? Reply with its number, or give me the order number.
//	          {{- range .offer}}
//	          {{.n}}. {{.order_id}} ({{.items}}, {{order_status .status}})
//	          {{- end}}
//	  - id: lookup
//	    call: get_order
//	    params: {order_id: "{{.slots.order_id}}"}
//	    on: {not_found: not_found, not_yours: not_found}
//	  - id: delivered
//	    when: {result: {status: [delivered]}}
//	    goto: ask_reason
//	  - id: not_delivered
//	    say:
//	      zh: 订单 {{.slots.order_id}} 还没有签收（{{order_status .result.status}}），签收后才能退货。
//	      en: "Order {{.slots.order_id}} isn't delivered yet ({{order_status .result.status}}), so it can't be returned."
//	    end: true
//	  - id: ask_reason
//	    ask: reason
//	  - id: ask_photos
//	    ask: photos
//	  - id: confirm
//	    confirm:
//	      zh: 为订单 {{.slots.order_id}} 申请退货，原因：{{.labels.reason}}。确认提交吗？
//	      en: Return order {{.slots.order_id}} ({{.labels.reason}})?
//	    no: kept
//	  - id: create
//	    call: create_return
//	    params:
//	      order_id: "{{.slots.order_id}}"
//	      reason: "{{.slots.reason}}"
//	      photos: '{{if eq .slots.photos "yes"}}yes{{else}}no{{end}}'
//	    on: {not_allowed: not_allowed, error: sorry}
//	  - id: done
//	    say: {zh: "已提交，售后单号 {{.result.return_id}}。", en: "Submitted: return {{.result.return_id}}."}
//	    end: true
//	  - id: kept
//	    say: {zh: 好的，没有提交。, en: "OK, nothing submitted."}
//	    end: true
//	  - id: not_found
//	    say: {zh: 没有找到这个订单。, en: "I couldn't find that order."}
//	    end: true
//	  - id: not_allowed
//	    say: {zh: 这个订单现在不能退货。, en: "That order can't be returned now."}
//	    end: true
//	  - id: sorry
//	    handoff: action_failed
//
// # Running a flow
//
// Start begins a flow: slots are filled at once from the message that
// started it (every entity of a slot's type, choice options named in the
// text), then from carry (values of earlier turns, by entity type), and
// steps run until one needs the customer (Output.Asking names the slot, or
// AwaitConfirm) or the flow ends (Output.Done). Continue takes the next
// answer. Accepts tells an answer from a digression, so the bot can answer
// a knowledge question and resume with Reprompt.
//
// Answers: an entity of the awaited slot's type; an option of a choice
// slot (or its otherwise option for the customer's own words); free text
// for a text slot unless it is a question, a "no"/cancel phrase, or a
// confident other intent; a skip word for an optional slot; yes (是, 对,
// 好, 确认, 提交, 嗯, yes, sure, ok, go ahead, submit, ...) or no (不, 不用,
// 不要, 算了, no, nope, ...) for a confirm, counted only in a short message
// or at its start, never in a question ("行不行", "好不好" ask); while an
// ask offers items, a pick of one, yes to a single item, or no (then
// Continue asks the slot's prompt, and an unclear answer is asked again
// with the offer). Every message is read for every slot the flow still
// needs, whatever is asked: values for other slots in the same message
// are kept. The yes and no words are one list (read.go); Answer reads
// the bot's own yes/no questions with it and Bare tells a message that is
// only a yes or a no ("嗯嗯确认", "yes please"), which answers the question
// asked and never starts another request.
//
// A product slot's value is every product the message names (their
// codes, space-separated), or AllItems for one of the slot's all words
// ("both", "都退") answering its question; it is never filled from the
// products of earlier turns, and a product named again while another
// question is asked changes it only with a correction cue.
//
// Corrections: an entity of a filled slot's type with another value
// replaces it ("不对，是 DD202611060007"); a correction cue ("不对", "不是",
// "错了", "另一个", "换成", "no,", "actually", "I meant", "wrong", "the
// other") with a word naming a filled slot ("the other order", "地址错了")
// empties it; a cue alone while a slot is asked empties the slot asked
// before it. The flow then goes back to the step that asks the corrected
// slot: asks that are filled are skipped, the lookups after it run again,
// and the confirm is asked again with the new values.
//
// Invalid answers are asked again; the MaxRetries-th invalid answer in a
// row ends the flow with Output.Handoff (reason flow_stuck), because a
// customer the bot cannot understand three times is better served by a
// person than by a bot that gives up.
//
// Backend calls carry the idempotency key <conversation id>/<flow>/<step
// id>/<Run.Calls>: a turn processed again from the same stored Run sends the
// same key, and a new attempt after the customer changed a slot a new one
// (Run.Calls counts answered calls). A failing backend (an error, or an
// answer without a status; or no backend at all) is a flow outcome, not an
// error: the step's "error" branch when it has one (.status is "error",
// .result.error the error code), else Output.Handoff with reason
// action_failed, evidence {flow, step, action, error} and a message that a
// person will take over. Errors returned by Start and Continue mean a
// cancelled ctx, a Run whose flow or step no longer exists (ENOTFOUND: drop
// it) or a flow that loops without asking (EINTERNAL).
package flow

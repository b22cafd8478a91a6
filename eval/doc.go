// Package eval runs the evaluation suites for ML engineers (intent,
// retrieval, answers, dialog stories, escalation) and compares reports
// against regression gates.
//
// The intent suite: RunIntents classifies labelled messages with an
// nlu.IntentModel, and Intents turns Predictions into an IntentReport
// (accuracy, macro-F1, per-intent precision/recall/F1, confusion pairs,
// in-scope accuracy and out-of-scope recall when the data has
// out_of_scope, the same per language when the data gives the language,
// and latency percentiles). `assist eval intent` wires a model to it.
// The dialog suite runs conversation stories: scripted conversations
// with what the bot must do after each customer message. ReadStoryFiles
// loads them (strict YAML: an unknown field is an error naming file and
// line), RunStories drives each through a StoryDriver (the real service in
// cmd/assist; a fake in the tests) and compares, and DialogReport holds
// the outcome: stories passed and failed, a field-by-field diff for every
// failed turn, counts per tag and language, and turn latency. A story
// file is a list of stories:
//
//	# data/eval/stories/orders.yaml
//	- name: order status with the order id up front   # unique across the files
//	  lang: zh                  # zh or en: the conversation's language
//	  customer: demo-customer-1 # the conversation's customer_ref (optional)
//	  backend: down             # optional: every shop action fails
//	  tags: [flow:order_status, early_slot]  # free text, counted in the report
//	  known: why the bot fails it today   # optional: still run and counted as failed,
//	                                      # but skipped (with its diff) by go test
//	  turns:
//	    - say: 我的订单DD202611030001到哪了？
//	      restart: true         # optional: restart the service before this turn
//	      expect:               # every field optional; "-" means none
//	        intent: order_status          # the intent noted this turn (State.Intents, newest)
//	        flow: order_status            # the active flow after the turn
//	        slots: {order_id: DD202611030001} # the active flow's slots, or the
//	                                      # remembered entities once no flow is active
//	        reply_contains: [SF1234567890123] # each appears in the replies (case-insensitive)
//	        reply_not_contains: [抱歉]
//	        reply_any: [周五, Friday]      # at least one of these appears
//	        owner: bot                    # bot, queue, agent or closed after the turn
//	        escalation: anger             # the escalation reason, when one fires this turn
//
// The stories shipped with the project are in data/eval/stories; `assist
// eval dialog` and `go test ./cmd/assist -run Stories` run them.
//
// The other suites arrive with the issues that add what they measure.
package eval

package routing

import "github.com/assistd/assist"

// State is where a conversation stands in routing.
type State string

const (
	StateBot      State = "bot"      // the bot answers; not routed
	StateQueued   State = "queued"   // waiting in a skill queue
	StateOffered  State = "offered"  // offered to one agent, not yet accepted
	StateAssigned State = "assigned" // an agent accepted it (or was given it)
	StateClosed   State = "closed"   // finished
)

// Owner is the conversation owner that goes with a state.
func (s State) Owner() assist.Owner {
	switch s {
	case StateQueued, StateOffered:
		return assist.OwnerQueue
	case StateAssigned:
		return assist.OwnerAgent
	case StateClosed:
		return assist.OwnerClosed
	}
	return assist.OwnerBot
}

// stateOf is the routing state of a conversation owner, for conversations
// the engine does not hold.
func stateOf(o assist.Owner) State {
	switch o {
	case assist.OwnerQueue:
		return StateQueued
	case assist.OwnerAgent:
		return StateAssigned
	case assist.OwnerClosed:
		return StateClosed
	}
	return StateBot
}

// Event names what happens to a conversation's ownership.
type Transition string

const (
	THandoff       Transition = "handoff"        // the bot hands off
	TOffer         Transition = "offer"          // offered to an agent
	TAccept        Transition = "accept"         // the agent accepts
	TDecline       Transition = "decline"        // the agent declines: back to the queue
	TOfferExpired  Transition = "offer_expired"  // not accepted in time: back to the queue
	TTransferQueue Transition = "transfer_queue" // moved to another skill queue
	TTransferAgent Transition = "transfer_agent" // given to another agent
	TAssign        Transition = "assign"         // a supervisor gives it to an agent
	TClaim         Transition = "claim"          // an agent takes it from the queue
	TRelease       Transition = "release"        // back to the bot
	TClose         Transition = "close"          // closed by staff
	TCustomerGone  Transition = "customer_gone"  // the customer stopped writing
	TCustomerLeft  Transition = "customer_left"  // the customer stopped waiting: back to the bot
)

// transitions is the ownership state machine: from → transition → to. A
// pair missing here is illegal.
var transitions = map[State]map[Transition]State{
	StateBot: {
		THandoff: StateQueued,
		TAssign:  StateAssigned,
		TClose:   StateClosed,
	},
	StateQueued: {
		TOffer:         StateOffered,
		TTransferQueue: StateQueued,
		TAssign:        StateAssigned,
		TClaim:         StateAssigned,
		TRelease:       StateBot,
		TClose:         StateClosed,
		TCustomerGone:  StateClosed,
		TCustomerLeft:  StateBot,
	},
	StateOffered: {
		TAccept:        StateAssigned,
		TDecline:       StateQueued,
		TOfferExpired:  StateQueued,
		TTransferQueue: StateQueued,
		TAssign:        StateAssigned,
		TRelease:       StateBot,
		TClose:         StateClosed,
		TCustomerGone:  StateClosed,
		TCustomerLeft:  StateBot,
	},
	StateAssigned: {
		TTransferQueue: StateQueued,
		TTransferAgent: StateAssigned,
		TAssign:        StateAssigned,
		TRelease:       StateBot,
		TClose:         StateClosed,
		TCustomerGone:  StateClosed,
	},
	StateClosed: {},
}

// Next returns the state a transition leads to from from, or ECONFLICT
// when the transition is illegal there.
func Next(from State, t Transition) (State, error) {
	if to, ok := transitions[from][t]; ok {
		return to, nil
	}
	return from, assist.Errorf(assist.ECONFLICT, "cannot %s a conversation that is %s", t, from)
}

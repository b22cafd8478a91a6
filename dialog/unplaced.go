package dialog

import "github.com/assistd/assist/nlu"

// PlaceConfidence is the intent probability below which the model has not
// placed the message at all: its label, and the two readings it hesitates
// between, are guesses ("榨汁杯能不能打冻的水果做冰沙" read as a delivery
// problem at 0.08). Asking "X or Y?" about such guesses, or starting the
// task of one, helps nobody when the help center answers the message
// itself: its answer is given when it is KBMargin above the base's
// calibrated threshold, whatever its article is about (askFirst). A task
// the model is sure of still runs its flow.
const PlaceConfidence = 0.2

// unplaced reports whether the model could not place the message: no
// label, out_of_scope, or a top reading below PlaceConfidence.
func (tr *turn) unplaced() bool {
	in := tr.res.Intent
	return in.Label == "" || in.Label == nlu.OutOfScope || in.Confidence < PlaceConfidence
}

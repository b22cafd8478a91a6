package dialog

import (
	"context"
	"fmt"

	"github.com/assistd/assist/rag"
)

// A turn may read its question more than one way before it answers: the
// question alone and after the one it continues (thread.go), a part of a
// message alone and after the part before (multi.go), the customer's own
// words beside the catalogue's contact question (contact.go). With a
// knowledge base that drafts (rag.Service: drafter), each reading is a
// draft, which costs no model call and records nothing, and only the
// reading the turn keeps is answered: one answer written (one LLM call)
// per answer the customer sees, and a knowledge gap only for the
// customer's own question declined. An Answerer that cannot draft answers
// every reading.

// drafter is the optional ability of an Answerer to read a question
// without answering it (Draft), to answer from that reading (AnswerDraft),
// to say whether that answer declines (Declines: the knowledge base's one
// rule) and the confidence below which it does (Threshold).
// *rag.Service has it.
type drafter interface {
	Draft(ctx context.Context, req rag.AnswerRequest) (rag.Draft, error)
	AnswerDraft(ctx context.Context, req rag.AnswerRequest, d rag.Draft, onDelta func(string) error) (rag.Answer, error)
	Declines(d rag.Draft) bool
	Threshold() float64
}

var _ drafter = (*rag.Service)(nil)

// reading is one reading of a question: what the knowledge base would
// answer (ans: Known, Confidence, Threshold and the first source; the
// whole answer when the knowledge base cannot draft) and what answering
// it takes (req, and the draft when there is one).
type reading struct {
	req   rag.AnswerRequest
	draft *rag.Draft
	ans   rag.Answer
}

// read reads req (see reading).
func (tr *turn) read(ctx context.Context, req rag.AnswerRequest) (reading, error) {
	kb, ok := tr.a.KB.(drafter)
	if !ok {
		ans, err := tr.a.KB.Answer(ctx, req, nil)
		return reading{req: req, ans: ans}, err
	}
	d, err := kb.Draft(ctx, req)
	if err != nil {
		return reading{}, err
	}
	ans := rag.Answer{Lang: d.Lang, Confidence: d.Confidence, Threshold: kb.Threshold(), Known: !kb.Declines(d)}
	if ans.Known {
		ans.Sources = []rag.Source{{N: 1, Doc: d.Hits[0].Chunk.Doc, Title: d.Hits[0].Chunk.Title}}
	}
	return reading{req: req, draft: &d, ans: ans}, nil
}

// settle answers the reading r: from its draft, once per question and
// passage the turn answers (a part of a message read again after the part
// before is not written twice), or the answer the reading already is.
// Two questions the same passage answers are each answered: an answer the
// model wrote for one says nothing of the other ("is the sale on? how much
// off": "yes, Nov 1-11"); extracted from the passage, both are the same
// text, said once (multi.go).
func (tr *turn) settle(ctx context.Context, r reading) (rag.Answer, error) {
	if r.draft == nil {
		return r.ans, nil
	}
	key := ""
	if r.ans.Known {
		key = r.req.Question + "\n" + r.ans.Sources[0].Doc + "\n" + r.draft.Text
		if ans, ok := tr.written[key]; ok {
			return ans, nil
		}
	}
	ans, err := tr.a.KB.(drafter).AnswerDraft(ctx, r.req, *r.draft, nil)
	if err != nil {
		return rag.Answer{}, err
	}
	if key != "" && tr.written != nil {
		tr.written[key] = ans
	}
	return ans, nil
}

// answerReading answers r, the reading a lookup returned with err
// (tr.ask, askOn): the lookup's error as it is, the answer settled
// (settle), its error said to come from the knowledge base.
func (tr *turn) answerReading(ctx context.Context, r reading, err error) (rag.Answer, error) {
	if err != nil {
		return rag.Answer{}, err
	}
	ans, err := tr.settle(ctx, r)
	if err != nil {
		return rag.Answer{}, fmt.Errorf("answering from the knowledge base: %w", err)
	}
	return ans, nil
}

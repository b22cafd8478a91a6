package ingest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/assistd/assist"
	"github.com/assistd/assist/rag"
)

// faqChunk is an FAQ entry as one chunk: the question is indexed with it.
func faqChunk(q, a string) rag.Chunk {
	q, a = strings.TrimSpace(q), strings.TrimSpace(a)
	return rag.Chunk{Question: q, Answer: a, Text: a}
}

// csvFAQ reads a CSV with a header naming question and answer columns (and
// optionally id). Entries with an id are documents of their own; the others
// are chunks of one document named after the file.
func csvFAQ(base rag.Document, data []byte) ([]rag.Document, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, assist.Wrap(assist.EINVALID, err, fmt.Sprintf("%s is not valid CSV", base.Doc))
	}
	if len(recs) == 0 {
		return nil, assist.Errorf(assist.EINVALID, "%s is empty", base.Doc)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	qi, ok1 := col["question"]
	ai, ok2 := col["answer"]
	if !ok1 || !ok2 {
		return nil, assist.Errorf(assist.EINVALID, "%s: the header must name the question and answer columns", base.Doc)
	}
	ii, hasID := col["id"]
	var entries []faqEntry
	for n, rec := range recs[1:] {
		get := func(i int) string {
			if i < len(rec) {
				return rec[i]
			}
			return ""
		}
		e := faqEntry{Question: get(qi), Answer: get(ai)}
		if hasID {
			e.ID = strings.TrimSpace(get(ii))
		}
		if strings.TrimSpace(e.Question) == "" || strings.TrimSpace(e.Answer) == "" {
			return nil, assist.Errorf(assist.EINVALID, "%s line %d: question and answer are required", base.Doc, n+2)
		}
		entries = append(entries, e)
	}
	return faqDocs(base, entries), nil
}

type faqEntry struct {
	ID, Question, Answer string
}

func faqDocs(base rag.Document, entries []faqEntry) []rag.Document {
	var out []rag.Document
	file := base
	for _, e := range entries {
		if e.ID == "" {
			file.Chunks = append(file.Chunks, faqChunk(e.Question, e.Answer))
			continue
		}
		d := base
		d.Doc = e.ID
		d.Title = strings.TrimSpace(e.Question)
		d.Chunks = []rag.Chunk{faqChunk(e.Question, e.Answer)}
		out = append(out, d)
	}
	if len(file.Chunks) > 0 {
		file.Title = strings.TrimSuffix(base.Doc, ".csv")
		file.Title = strings.TrimSuffix(file.Title, ".jsonl")
		out = append(out, file)
	}
	return out
}

// jsonLines reads JSON Lines of FAQ entries {"question","answer"[,"id"]}
// or passages {"id"[,"title"],"text"}; each line with an id is a document
// of its own.
func jsonLines(base rag.Document, data []byte, sizes Sizes) ([]rag.Document, error) {
	var faqs []faqEntry
	var out []rag.Document
	for n, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var v struct {
			ID       json.RawMessage `json:"id"`
			Title    string          `json:"title"`
			Text     string          `json:"text"`
			Question string          `json:"question"`
			Answer   string          `json:"answer"`
		}
		if err := json.Unmarshal(line, &v); err != nil {
			return nil, assist.Wrap(assist.EINVALID, err, fmt.Sprintf("%s line %d is not valid JSON", base.Doc, n+1))
		}
		id := rawID(v.ID)
		switch {
		case strings.TrimSpace(v.Question) != "" && strings.TrimSpace(v.Answer) != "":
			faqs = append(faqs, faqEntry{ID: id, Question: v.Question, Answer: v.Answer})
		case strings.TrimSpace(v.Text) != "":
			if id == "" {
				return nil, assist.Errorf(assist.EINVALID, "%s line %d: a passage needs an id", base.Doc, n+1)
			}
			d := base
			d.Doc = id
			d = sections(d, []section{{text: v.Text}}, id, sizes)
			if v.Title != "" {
				d.Title = v.Title
			}
			out = append(out, d)
		default:
			return nil, assist.Errorf(assist.EINVALID, "%s line %d: expected question and answer, or id and text", base.Doc, n+1)
		}
	}
	return append(out, faqDocs(base, faqs)...), nil
}

// rawID reads an id given as a JSON string or number.
func rawID(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(string(raw))
}

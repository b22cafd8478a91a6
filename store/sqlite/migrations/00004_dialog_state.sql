-- Dialog state (conversation.Store DialogState, TurnResult.State): what the
-- bot remembers of a conversation between turns, one row per conversation,
-- written by CompleteTurn in the transaction that stores the turn's
-- replies. A table of its own rather than a column on conversations: the
-- state is rewritten on every bot turn and read only by the turn and the
-- staff state view, while conversations are listed and scanned often.
--
-- The state is opaque bytes (JSON of dialog.State) capped in Go at
-- conversation.MaxStateBytes. It goes with its conversation.

-- +goose Up
CREATE TABLE dialog_states (
    tenant_id       TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    state           BLOB NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, conversation_id),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE dialog_states;

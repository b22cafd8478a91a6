-- Message attachments (assist.Message.Attachments): a bot message's quick
-- replies, order and shipment cards and cited sources, as the JSON of
-- assist.Attachments; NULL for a message without any. A column rather
-- than a table: they are written once with their message and always read
-- with it.

-- +goose Up
ALTER TABLE messages ADD COLUMN attachments TEXT;

-- +goose Down
ALTER TABLE messages DROP COLUMN attachments;

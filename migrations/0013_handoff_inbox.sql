-- Issue 17 item 4: hand-offs as an inbox.
-- claimed_by: the staff member who pressed "Saya tangani" on the group post (the first one
-- wins); feedback: the person's one tap after "Selesai" (1 helped, -1 did not), counted in
-- /statistik.
ALTER TABLE handoffs ADD COLUMN claimed_by INTEGER;
ALTER TABLE handoffs ADD COLUMN claimed_at TEXT;
ALTER TABLE handoffs ADD COLUMN feedback INTEGER CHECK (feedback IN (-1, 1));

-- A photo or document relayed in a thread (a payment receipt): only Telegram's file id is
-- kept, never the file; /hapusdata deletes it with the message.
ALTER TABLE handoff_messages ADD COLUMN file_kind TEXT CHECK (file_kind IN ('photo', 'document'));
ALTER TABLE handoff_messages ADD COLUMN file_id TEXT;

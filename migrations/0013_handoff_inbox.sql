-- Issue 17 item 4: hand-offs as an inbox.
-- claimed_by: the staff member who pressed "Saya tangani" on the group post (the first one
-- wins); feedback: the person's one tap after "Selesai" (1 helped, -1 did not), counted in
-- /statistik.
ALTER TABLE handoffs ADD COLUMN claimed_by INTEGER;
ALTER TABLE handoffs ADD COLUMN claimed_at TEXT;
ALTER TABLE handoffs ADD COLUMN feedback INTEGER CHECK (feedback IN (-1, 1));

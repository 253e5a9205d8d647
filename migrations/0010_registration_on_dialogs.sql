-- Issue 15: registration runs on the dialogs table (bot/registration/flow.py declares the kinds
-- `registration` and `registration_edit`); registration_drafts goes.
-- 0009 copied every draft already. A bot that ran with 0009 before this (registration still on
-- its own table) may have written drafts since: they are copied again, keeping data_enc as the
-- encrypted state and the nonce (old buttons keep working). Where the person is in another
-- dialogue too, the one touched last wins.
INSERT INTO dialogs (user_id, kind, step, nonce, state, created_at, updated_at)
SELECT user_id, CASE WHEN mode = 'edit' THEN 'registration_edit' ELSE 'registration' END,
       step, nonce, data_enc, created_at, updated_at
FROM registration_drafts WHERE true
ON CONFLICT (user_id) DO UPDATE SET
    kind = excluded.kind, step = excluded.step, nonce = excluded.nonce,
    state = excluded.state, created_at = excluded.created_at, updated_at = excluded.updated_at
WHERE dialogs.kind IN ('registration', 'registration_edit')
   OR dialogs.updated_at < excluded.updated_at;

DROP TABLE registration_drafts;

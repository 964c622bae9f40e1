-- The Message's id (msg_…), from the response body or the stream's message_start: what the API
-- names the answer by, and the span's gen_ai.response.id. NULL for rows stored before this version
-- and for calls that never got a Message (transport errors, error bodies).
ALTER TABLE calls ADD COLUMN message_id VARCHAR;

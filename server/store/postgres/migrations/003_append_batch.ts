// Appends many messages of one conversation in one statement, so one commit
// (one WAL flush) covers a whole burst: the server's own group commit, as the
// data directory's log has. Each element goes through messenger_append_message
// (002), in order, so seqs follow the order given and a clientId repeated in
// the batch or already stored answers the first message.
export const sql = /* sql */ `
CREATE FUNCTION messenger_append_messages(
  p_conversation_id text,
  p_sender_ids text[],
  p_client_ids text[],
  p_created_ats timestamptz[],
  p_kinds text[],
  p_search_texts text[],
  -- Each element a JSON array of file ids, or null.
  p_attachment_ids text[],
  p_messages text[]
) RETURNS TABLE (i int, created boolean, seq bigint, message json)
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR k IN 1 .. coalesce(array_length(p_client_ids, 1), 0) LOOP
    SELECT a.created, a.seq, a.message INTO r FROM messenger_append_message(
      p_conversation_id, p_sender_ids[k], p_client_ids[k], p_created_ats[k], p_kinds[k], p_search_texts[k],
      CASE WHEN p_attachment_ids[k] IS NULL THEN NULL ELSE ARRAY(SELECT json_array_elements_text(p_attachment_ids[k]::json)) END,
      p_messages[k]
    ) a;
    i := k;
    created := r.created;
    seq := r.seq;
    message := r.message;
    RETURN NEXT;
  END LOOP;
END
$$;
`

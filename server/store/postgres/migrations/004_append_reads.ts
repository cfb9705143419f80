// Whoever writes a message has read everything up to it: the append of a
// batch (003) now also moves each sender's read (and delivered) cursor to
// their newest message in it, in the same statement and commit, instead of a
// cursor write of its own after every send. Same arguments as 003, plus how
// many elements a cursor's marks keep (read-marks.ts: MARKS_KEPT * 2).
export const sql = /* sql */ `
DROP FUNCTION messenger_append_messages(text, text[], text[], timestamptz[], text[], text[], text[], text[]);

CREATE FUNCTION messenger_append_messages(
  p_conversation_id text,
  p_sender_ids text[],
  p_client_ids text[],
  p_created_ats timestamptz[],
  p_kinds text[],
  p_search_texts text[],
  -- Each element a JSON array of file ids, or null.
  p_attachment_ids text[],
  p_messages text[],
  p_mark_elements integer
) RETURNS TABLE (i int, created boolean, seq bigint, message json)
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_readers text[] := '{}';
  v_read_seqs bigint[] := '{}';
  v_read_ats bigint[] := '{}';
BEGIN
  FOR k IN 1 .. coalesce(array_length(p_client_ids, 1), 0) LOOP
    SELECT a.created, a.seq, a.message INTO r FROM messenger_append_message(
      p_conversation_id, p_sender_ids[k], p_client_ids[k], p_created_ats[k], p_kinds[k], p_search_texts[k],
      CASE WHEN p_attachment_ids[k] IS NULL THEN NULL ELSE ARRAY(SELECT json_array_elements_text(p_attachment_ids[k]::json)) END,
      p_messages[k]
    ) a;
    IF r.created THEN
      v_readers := v_readers || p_sender_ids[k];
      v_read_seqs := v_read_seqs || r.seq;
      v_read_ats := v_read_ats || (extract(epoch FROM p_created_ats[k]) * 1000)::bigint;
    END IF;
    i := k;
    created := r.created;
    seq := r.seq;
    message := r.message;
    RETURN NEXT;
  END LOOP;

  -- Each sender's newest message of the batch (seqs rise along it).
  UPDATE memberships m SET
    read_seq = s.seq,
    read_marks = messenger_push_mark(m.read_marks, s.seq, s.at, p_mark_elements),
    delivered_marks = CASE WHEN coalesce(m.delivered_seq, 0) < s.seq
      THEN messenger_push_mark(m.delivered_marks, s.seq, s.at, p_mark_elements) ELSE m.delivered_marks END,
    delivered_seq = CASE WHEN coalesce(m.delivered_seq, 0) < s.seq THEN s.seq ELSE m.delivered_seq END
  FROM (
    SELECT DISTINCT ON (x.reader) x.reader, x.seq, x.at
    FROM unnest(v_readers, v_read_seqs, v_read_ats) AS x(reader, seq, at)
    ORDER BY x.reader, x.seq DESC
  ) s
  WHERE m.conversation_id = p_conversation_id AND m.user_id = s.reader AND m.read_seq < s.seq;
END
$$;
`

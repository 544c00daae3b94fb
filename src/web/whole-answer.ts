/**
 * Answers whose body is one string, a rendered page: server.ts `wholeAnswers` writes them as they
 * are (head and body in one write already), instead of reading them back through a web stream into
 * bytes and answering those — which cost a dashboard its page three times over (a check of the
 * whole text for lone surrogates, its encoding, the stream's copies). An answer made anew around
 * the body (`new Response(res.body, res)`, as `c.header()` does once a handler has answered, or
 * compression) is another object, not marked, and goes the stream's way.
 */
const whole = new WeakSet<Response>();

/** Marks an answer whose body is a string. */
export function wholeAnswer(res: Response): Response {
  whole.add(res);
  return res;
}

export const isWholeAnswer = (res: Response): boolean => whole.has(res);

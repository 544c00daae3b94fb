import type { Child } from "hono/jsx";
import { hrefOf, type PublicCtx, Tx } from "./layout.tsx";

/** A row of link cards: each a bold title and a line under it. */
export function LinkCards(p: { items: readonly { href: string; title: Child; text: Child }[] }) {
  return (
    <ul class="cards">
      {p.items.map((c) => (
        <li>
          <a class="card" href={c.href}>
            <strong>{c.title}</strong>
            {c.text}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The framework's groups (citizens, students…) as cards, each linking to `base/slug`. */
export function GroupCards(p: { ctx: PublicCtx; base: string }) {
  const { ctx } = p;
  return (
    <LinkCards
      items={ctx.content.framework.groups.map((g) => ({
        href: hrefOf(ctx, `${p.base}/${g.slug}`),
        title: <Tx ctx={ctx} vi={g.name} en={g.en?.name} />,
        text: <Tx ctx={ctx} vi={g.who} en={g.en?.who} />,
      }))}
    />
  );
}

/** A term and what it means, in the page's language: `vi` and its English `en`, when there is one. */
export type Term = { name: [string, string | undefined]; text: [string, string | undefined] };

/** The framework's terms (domains, levels) as a description list. */
export function TermList(p: { ctx: PublicCtx; terms: readonly Term[] }) {
  const { ctx } = p;
  return (
    <dl class="component">
      {p.terms.map(({ name, text }) => (
        <>
          <dt>
            <Tx ctx={ctx} vi={name[0]} en={name[1]} />
          </dt>
          <dd>
            <Tx ctx={ctx} vi={text[0]} en={text[1]} />
          </dd>
        </>
      ))}
    </dl>
  );
}

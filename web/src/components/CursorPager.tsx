import { Link } from '../router';
import type { QueryFilters } from './useQueryFilters';

/** First and next page of a keyset-paged list whose cursor is in the URL (useQueryFilters). */
export function CursorPager(props: { filters: QueryFilters; nextCursor: string | null | undefined }) {
  const { filters, nextCursor } = props;
  return (
    <nav class="pager" aria-label="Pages">
      {filters.cursor && <Link href={filters.href({ cursor: null })}>First page</Link>}
      {nextCursor && <Link href={filters.href({ cursor: nextCursor })}>Next page</Link>}
    </nav>
  );
}

import { navigate, useLocation, withQuery } from '../router';

/**
 * A page's filters, order and page cursor kept in the URL's query, so a view can be pasted into a
 * ticket and survives a reload. Changing a filter starts again from the first page (the cursor
 * belongs to the old result).
 */
export function useQueryFilters() {
  const { path, query } = useLocation();
  const get = <T extends string = string>(name: string): T | undefined => (query.get(name) || undefined) as T | undefined;
  /** `true` / `false` in the URL; anything else is no filter. */
  const flag = (name: string): boolean | undefined => {
    const v = query.get(name);
    return v === 'true' ? true : v === 'false' ? false : undefined;
  };
  /** The same view with these changes (null or '' removes a parameter): for links. */
  const href = (changes: Record<string, string | null>): string => withQuery(path, query, changes);
  /** Applies filter changes and goes back to the first page. */
  const set = (changes: Record<string, string | null>): void => navigate(href({ ...changes, cursor: null }));
  return {
    query,
    /** Changes whenever any parameter does: the dependency of the page's load. */
    key: query.toString(),
    cursor: get('cursor'),
    get,
    flag,
    set,
    href,
  };
}

export type QueryFilters = ReturnType<typeof useQueryFilters>;

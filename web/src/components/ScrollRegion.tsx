import type { ComponentChildren } from 'preact';

/**
 * A wide table's own horizontal scroller (WCAG 1.4.10 reflow): at 320 CSS px the page never
 * scrolls sideways, only this region does. It is focusable and named so that a keyboard user
 * can scroll it with the arrow keys and a screen reader announces what it holds. Its name ends in
 * "table" so that it never repeats the name of the section around it (two landmarks of one name).
 */
export function ScrollRegion(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" role="region" aria-label={`${props.label} table`} tabIndex={0}>
      {props.children}
    </div>
  );
}

"use client";
// Size changes the message list learns about after rendering: a row re-wrapping (a font
// loading, an edit of the window width) asks for a new layout; a change of the pane's width
// makes every measured height stale, so they are forgotten and measured again as rows show.
import { useEffect, type RefObject } from "react";

export function useRelayoutOnResize(
  scrollerRef: RefObject<HTMLDivElement | null>,
  listRef: RefObject<HTMLOListElement | null>,
  heights: RefObject<Map<string, number>>,
  relayout: () => void,
): void {
  useEffect(() => {
    const el = scrollerRef.current;
    const list = listRef.current;
    if (!el || !list) return;
    let width = el.clientWidth;
    const rowObserver = new ResizeObserver((entries) => {
      const stale = entries.some((e) => {
        const key = (e.target as HTMLElement).dataset.key;
        return key !== undefined && Math.abs((heights.current.get(key) ?? -1) - e.target.getBoundingClientRect().height) > 0.5;
      });
      if (stale) relayout();
    });
    const observeRows = () => {
      rowObserver.disconnect();
      for (const child of Array.from(list.children)) rowObserver.observe(child);
    };
    const mutations = new MutationObserver(observeRows);
    mutations.observe(list, { childList: true });
    observeRows();
    const paneObserver = new ResizeObserver(() => {
      if (el.clientWidth !== width) {
        width = el.clientWidth;
        heights.current.clear();
      }
      relayout();
    });
    paneObserver.observe(el);
    return () => {
      rowObserver.disconnect();
      mutations.disconnect();
      paneObserver.disconnect();
    };
  }, [scrollerRef, listRef, heights, relayout]);
}

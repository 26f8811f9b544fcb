"use client";
// Where a scroll area is looking: its scrollTop and height, for a virtualized list to pick the
// rows to render. Scroll events are folded into one update per animation frame (a fling fires
// many per frame), and a resize (window, drawer opening, a hidden list shown again) re-measures.
import { useCallback, useLayoutEffect, useRef, useState } from "react";

export interface ScrollViewport<T extends HTMLElement> {
  ref: React.RefObject<T | null>;
  scrollTop: number;
  height: number;
  onScroll(): void;
}

export function useScrollViewport<T extends HTMLElement>(): ScrollViewport<T> {
  const ref = useRef<T | null>(null);
  const frame = useRef<number | undefined>(undefined);
  const [view, setView] = useState({ scrollTop: 0, height: 0 });

  const measure = useCallback(() => {
    frame.current = undefined;
    const el = ref.current;
    if (!el) return;
    setView((prev) => (prev.scrollTop === el.scrollTop && prev.height === el.clientHeight ? prev : { scrollTop: el.scrollTop, height: el.clientHeight }));
  }, []);

  useLayoutEffect(() => {
    measure();
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => measure());
    observer.observe(el);
    return () => {
      observer.disconnect();
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
    };
  }, [measure]);

  const onScroll = useCallback(() => {
    if (frame.current === undefined) frame.current = requestAnimationFrame(measure);
  }, [measure]);

  return { ref, scrollTop: view.scrollTop, height: view.height, onScroll };
}

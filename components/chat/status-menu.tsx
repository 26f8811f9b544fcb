"use client";
// The small popover for choosing online / idle / do not disturb / invisible.
import { useEffect, useRef } from "react";
import type { ChosenStatus } from "../../lib/domain/types";
import { PresenceDot } from "../ui/presence-dot";
import styles from "./user-card.module.css";

export const STATUS_LABEL: Record<ChosenStatus, string> = {
  online: "Online",
  idle: "Idle",
  dnd: "Do Not Disturb",
  invisible: "Invisible",
};

const CHOICES: ChosenStatus[] = ["online", "idle", "dnd", "invisible"];

interface StatusMenuProps {
  current: ChosenStatus;
  onChoose: (status: ChosenStatus) => void;
  onClose: () => void;
}

export function StatusMenu({ current, onChoose, onClose }: StatusMenuProps) {
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    menuRef.current?.querySelector<HTMLElement>('[aria-checked="true"]')?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    const onPointer = (e: PointerEvent) => {
      if (!menuRef.current?.parentElement?.contains(e.target as Node)) onClose();
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [onClose]);

  return (
    <div ref={menuRef} className={styles.menu} role="menu" aria-label="Status">
      {CHOICES.map((status) => (
        <button key={status} type="button" role="menuitemradio" aria-checked={status === current}
          className={styles.menuItem} onClick={() => onChoose(status)} data-testid={`status-${status}`}>
          <PresenceDot status={status === "invisible" ? "offline" : status} />
          {STATUS_LABEL[status]}
        </button>
      ))}
    </div>
  );
}

// A kept list's rows by user id, changed the way every store changes them (the Redis store's
// Lua script does the same): joins restate the row, leaves remove it, status and profile
// changes touch an existing row only.
import type { Member } from "../types";
import type { Snowflake } from "../../ids/snowflake";
import type { MemberListChange } from "./types";

/** Applies `change`; returns false when it touched nothing (a change for someone not listed). */
export function applyToRows(rows: Map<Snowflake, Member>, change: MemberListChange): boolean {
  switch (change.type) {
    case "join":
      rows.set(change.member.user.id, change.member);
      return true;
    case "leave":
      return rows.delete(change.userId);
    case "status": {
      const current = rows.get(change.userId);
      if (current) rows.set(change.userId, { ...current, status: change.status });
      return current !== undefined;
    }
    case "profile": {
      const current = rows.get(change.user.id);
      if (current) rows.set(change.user.id, { ...current, user: change.user });
      return current !== undefined;
    }
  }
}

// Every member of a server with their visible status: what a member list is built from.
import type { Deps } from "../../deps";
import type { Member } from "../../domain/types";
import type { Snowflake } from "../../ids/snowflake";

// Large pages: a list is built once, and fewer round trips to the database make the first SYNC sooner.
const PAGE = 5000;

export async function loadMemberRows(deps: Deps, serverId: Snowflake): Promise<Member[]> {
  const members: Member[] = [];
  for (let after: Snowflake | undefined; ; ) {
    const page = await deps.metadata.listMembers(serverId, { limit: PAGE, after });
    const statuses = await deps.presence.getStatuses(page.map((m) => m.user.id));
    for (const m of page) members.push({ ...m, status: statuses.get(m.user.id) ?? "offline" });
    if (page.length < PAGE) return members;
    after = page[page.length - 1]!.user.id;
  }
}

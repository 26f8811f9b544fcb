// Who hears a member's presence and member events in a large server (contract v2): the
// subscribers whose ranges hold the member's row before or after the change (and, through
// the event bus, the removed user's own connections). Small servers keep their room broadcasts.
import type { MemberListChange } from "../../lib/domain/member-list/types";
import { isLargeServer } from "../../lib/domain/member-list/types";
import type { Member, PresenceStatus } from "../../lib/domain/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import type { Mirror } from "./mirror";

export interface AudienceOutput {
  /** The subscribers that hear a user's new status. */
  presence(subscriberIds: string[], change: { userId: Snowflake; status: PresenceStatus; at: number }): void;
  memberAdd(subscriberIds: string[], payload: { serverId: Snowflake; member: Member }): void;
  memberRemove(subscriberIds: string[], payload: { serverId: Snowflake; userId: Snowflake }): void;
}

/** `moved`: the member's row index before and after the change (-1: absent). */
export function announceToHolders(mirror: Mirror, change: MemberListChange, moved: { before: number; after: number }, out: AudienceOutput): void {
  const { before, after } = moved;
  if (!isLargeServer(mirror.list.memberCount) || (before === -1 && after === -1)) return;
  const { serverId } = mirror;
  if (change.type === "status" && before !== -1) {
    const ids = [...new Set([...mirror.holders(before), ...mirror.holders(after)])];
    if (ids.length > 0) out.presence(ids, { userId: change.userId, status: change.status, at: change.at ?? 0 });
  } else if (change.type === "join" && before === -1) {
    const ids = mirror.holders(after);
    if (ids.length > 0) out.memberAdd(ids, { serverId, member: change.member });
  } else if (change.type === "leave") {
    const ids = mirror.holders(before);
    if (ids.length > 0) out.memberRemove(ids, { serverId, userId: change.userId });
  }
}

// The rows of the member list in view, [start, end): headers from the group counts, members
// from the rows the server keeps current, placeholders for the rest. Rows are wrapped per group
// (`member-group-online` ...) so that what is shown under a header can be found as such; the
// wrappers are layout-neutral, every row is positioned within the list's full height.
import type { ReactNode } from "react";
import type { MemberGroupId } from "../../lib/domain/member-list/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import { trustedRow, type ServerMemberList } from "../state/member-list-store";
import { MemberGroupHeader } from "./member-group";
import { placeOfRow } from "./member-list-window";
import { MemberPlaceholder, MemberRow } from "./member-row";

interface MemberListRowsProps {
  list: ServerMemberList;
  start: number;
  end: number;
  ownerId: Snowflake;
}

export function MemberListRows({ list, start, end, ownerId }: MemberListRowsProps) {
  const setSize = list.groups.length + list.memberCount;
  const sections: Array<{ group: MemberGroupId; rows: ReactNode[] }> = [];
  // A member shown twice (rows mid-update) would collide as a React key: the second waits as a placeholder.
  const shown = new Set<Snowflake>();
  for (let index = start; index < end; index++) {
    const place = placeOfRow(list.groups, index);
    if (!place) continue;
    let section = sections[sections.length - 1];
    if (section?.group !== place.group.id) sections.push((section = { group: place.group.id, rows: [] }));
    const row = trustedRow(list, index);
    if (place.header) section.rows.push(<MemberGroupHeader key={`group-${place.group.id}`} group={place.group} index={index} setSize={setSize} />);
    else if (row && "member" in row && !shown.has(row.member.user.id)) {
      const { member } = row;
      shown.add(member.user.id);
      section.rows.push(<MemberRow key={member.user.id} member={member} isOwner={member.user.id === ownerId} index={index} setSize={setSize} />);
    } else section.rows.push(<MemberPlaceholder key={`row-${index}`} index={index} setSize={setSize} />);
  }
  return sections.map(({ group, rows }) => (
    <div key={group} role="none" data-testid={`member-group-${group}`}>
      {rows}
    </div>
  ));
}

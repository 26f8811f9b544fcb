// A group's header row ("ONLINE — 3"), drawn from the list's current group counts.
import type { MemberGroup } from "../../lib/domain/member-list/types";
import styles from "./member-list.module.css";
import { GROUP_TITLE } from "./member-list-window";
import { rowStyle, type RowPosition } from "./member-row";

export function MemberGroupHeader({ group, index, setSize }: { group: MemberGroup } & RowPosition) {
  const title = `${GROUP_TITLE[group.id]} — ${group.count.toLocaleString("en-US")}`;
  return (
    <div role="listitem" aria-posinset={index + 1} aria-setsize={setSize} style={rowStyle(index)} className={styles.header}
      data-testid={`member-group-header-${group.id}`} data-row-index={index} data-count={group.count}>
      <h3 className={styles.groupTitle}>{title}</h3>
    </div>
  );
}

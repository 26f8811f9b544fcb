// Message text with its web links made clickable. Every part is a React text node or an <a>
// built from data: markup people type is shown literally and can never run.
import { memo } from "react";
import { linkify } from "../lib/linkify";

export const MessageContent = memo(function MessageContent({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, i) =>
        part.kind === "text" ? (
          part.text
        ) : (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow ugc" data-testid="message-link">
            {part.text}
          </a>
        ),
      )}
    </>
  );
});

// The two colour themes. Shared by the root layout (which applies the stored choice before
// React starts) and the UI store (which changes it).

export type Theme = "dark" | "light";

export const THEME_STORAGE_KEY = "parley.theme";

/** The browser's title-bar colour per theme: the rail's background. */
export const THEME_COLOR: Record<Theme, string> = { dark: "#1e1f22", light: "#e3e5e8" };

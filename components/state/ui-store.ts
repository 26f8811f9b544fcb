// Layout state that is not data: which drawer is open on a phone, whether the member list is
// shown on a wide screen, and the colour theme (remembered in this browser).
import { create } from "zustand";
import { THEME_COLOR, THEME_STORAGE_KEY, type Theme } from "../lib/theme";

export type { Theme };
export type Drawer = "channels" | "members" | null;

interface UiState {
  drawer: Drawer;
  membersHidden: boolean;
  theme: Theme;
  openDrawer(drawer: Drawer): void;
  toggleMembers(): void;
  setTheme(theme: Theme): void;
}

function initialTheme(): Theme {
  if (typeof document === "undefined") return "dark";
  return document.documentElement.dataset.theme === "light" ? "light" : "dark";
}

export const useUiStore = create<UiState>()((set) => ({
  drawer: null,
  membersHidden: false,
  theme: initialTheme(),
  openDrawer: (drawer) => set({ drawer }),
  toggleMembers: () => set((s) => ({ membersHidden: !s.membersHidden })),
  setTheme: (theme) => {
    document.documentElement.dataset.theme = theme;
    document.querySelector('meta[name="theme-color"]')?.setAttribute("content", THEME_COLOR[theme]);
    try {
      localStorage.setItem(THEME_STORAGE_KEY, theme);
    } catch {
      // Storage may be disabled (private mode): the theme then lasts for this page only.
    }
    set({ theme });
  },
}));

import PerennialCore; public enum _G {}

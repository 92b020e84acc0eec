import PerennialCore; public enum _T {}

namespace FitbitPS { internal static class Placeholder { } }

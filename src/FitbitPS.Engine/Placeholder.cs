namespace FitbitPS.Engine { internal static class Placeholder { } }

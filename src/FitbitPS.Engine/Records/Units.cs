using System;

namespace FitbitPS.Engine.Records
{
    /// <summary>
    /// Unit conversions with one stated rounding each (MidpointRounding.AwayFromZero, as people round):
    /// weight kg and lb to 2 decimals (1 lb = 0.45359237 kg exactly, so lb = grams / 453.59237);
    /// distance km and miles to 3 decimals (1 mile = 1,609,344 mm exactly); BMI to 1 decimal;
    /// kcal to 1 decimal; minutes to 1 decimal where not whole.
    /// </summary>
    public static class Units
    {
        public const double GramsPerPound = 453.59237;
        public const double MillimetersPerMile = 1609344.0;
        public const double MillimetersPerKilometer = 1000000.0;

        public static double KgFromGrams(double grams) => Math.Round(grams / 1000.0, 2, MidpointRounding.AwayFromZero);
        public static double LbFromGrams(double grams) => Math.Round(grams / GramsPerPound, 2, MidpointRounding.AwayFromZero);
        public static double KmFromMillimeters(double mm) => Math.Round(mm / MillimetersPerKilometer, 3, MidpointRounding.AwayFromZero);
        public static double MilesFromMillimeters(double mm) => Math.Round(mm / MillimetersPerMile, 3, MidpointRounding.AwayFromZero);
        public static double Kcal(double kcal) => Math.Round(kcal, 1, MidpointRounding.AwayFromZero);
        public static double Minutes(TimeSpan span) => Math.Round(span.TotalMinutes, 1, MidpointRounding.AwayFromZero);

        /// <summary>BMI = kg / m², 1 decimal; null without a height.</summary>
        public static double? Bmi(double grams, long? heightMillimeters)
        {
            if (heightMillimeters == null || heightMillimeters <= 0) return null;
            var meters = heightMillimeters.Value / 1000.0;
            return Math.Round(grams / 1000.0 / (meters * meters), 1, MidpointRounding.AwayFromZero);
        }

        /// <summary>Google sends "NaN"/"Infinity" for a missing reading; a record shows it as empty.</summary>
        public static double? Finite(double? value) => value.HasValue && !double.IsNaN(value.Value) && !double.IsInfinity(value.Value) ? value : null;

        public static double? Round(double? value, int decimals)
            => Finite(value) is double v ? Math.Round(v, decimals, MidpointRounding.AwayFromZero) : (double?)null;
    }
}

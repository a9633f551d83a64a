using FitbitPS.Engine.Api.Wire;

namespace FitbitPS.Engine.Records.Mapping
{
    /// <summary>Google's daily derived metrics as records, one per day. Each returns null for a point
    /// without the metric's date (such points are left out of a read).</summary>
    internal static class DailyMetricRecords
    {
        public static HeartRateVariability ToHeartRateVariability(DataPoint p) => p.DailyHeartRateVariability?.Date == null ? null : new HeartRateVariability
        {
            Date = p.DailyHeartRateVariability.Date.ToDateTime(),
            RmssdMilliseconds = Units.Round(p.DailyHeartRateVariability.AverageHeartRateVariabilityMilliseconds, 1),
            DeepSleepRmssdMilliseconds = Units.Round(p.DailyHeartRateVariability.DeepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds, 1),
            Entropy = Units.Round(p.DailyHeartRateVariability.Entropy, 3),
            NonRemHeartRateBpm = p.DailyHeartRateVariability.NonRemHeartRateBeatsPerMinute,
            Source = p.DataSource?.Describe(),
        };

        public static OxygenSaturation ToOxygenSaturation(DataPoint p) => p.DailyOxygenSaturation?.Date == null ? null : new OxygenSaturation
        {
            Date = p.DailyOxygenSaturation.Date.ToDateTime(),
            AveragePercent = Units.Round(p.DailyOxygenSaturation.AveragePercentage, 1),
            LowerBoundPercent = Units.Round(p.DailyOxygenSaturation.LowerBoundPercentage, 1),
            UpperBoundPercent = Units.Round(p.DailyOxygenSaturation.UpperBoundPercentage, 1),
            StandardDeviationPercent = Units.Round(p.DailyOxygenSaturation.StandardDeviationPercentage, 2),
            Source = p.DataSource?.Describe(),
        };

        public static BreathingRate ToBreathingRate(DataPoint p) => p.DailyRespiratoryRate?.Date == null ? null : new BreathingRate
        {
            Date = p.DailyRespiratoryRate.Date.ToDateTime(),
            BreathsPerMinute = Units.Round(p.DailyRespiratoryRate.BreathsPerMinute, 1),
            Source = p.DataSource?.Describe(),
        };

        public static SkinTemperature ToSkinTemperature(DataPoint p)
        {
            var t = p.DailySleepTemperatureDerivations;
            if (t?.Date == null) return null;
            var nightly = Units.Finite(t.NightlyTemperatureCelsius);
            var baseline = Units.Finite(t.BaselineTemperatureCelsius);
            return new SkinTemperature
            {
                Date = t.Date.ToDateTime(),
                NightlyCelsius = Units.Round(nightly, 2),
                BaselineCelsius = Units.Round(baseline, 2),
                VariationCelsius = nightly.HasValue && baseline.HasValue ? Units.Round(nightly - baseline, 2) : null,
                Stddev30DayCelsius = Units.Round(t.RelativeNightlyStddev30dCelsius, 2),
                Source = p.DataSource?.Describe(),
            };
        }

        public static CardioFitness ToCardioFitness(DataPoint p) => p.DailyVo2Max?.Date == null ? null : new CardioFitness
        {
            Date = p.DailyVo2Max.Date.ToDateTime(),
            Vo2Max = Units.Round(p.DailyVo2Max.Vo2Max, 1),
            Level = EnumNames.Pascal(p.DailyVo2Max.CardioFitnessLevel),
            Estimated = p.DailyVo2Max.Estimated,
            Source = p.DataSource?.Describe(),
        };
    }
}

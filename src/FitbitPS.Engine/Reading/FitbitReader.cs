using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FitbitPS.Engine.Api;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Core;
using FitbitPS.Engine.Records;
using FitbitPS.Engine.Records.Mapping;

namespace FitbitPS.Engine.Reading
{
    /// <summary>
    /// Reads typed records over calendar-day ranges at the fewest requests (see <see cref="RequestPlanner"/>),
    /// streaming oldest first with memory bounded by one page or one roll-up chunk. Each read is a stream of
    /// Google's points (<see cref="PointStreams"/>: list pages spooled then replayed, roll-up chunks requested a few
    /// ahead, several types merged by day or window) and a mapper to records (Records/Mapping).
    /// A chunk that fails after retries yields one error item naming its days; the rest still streams.
    /// Enumerate on one thread; cancellation stops every request and wait at once.
    /// </summary>
    public sealed class FitbitReader
    {
        private readonly PointStreams _streams;

        internal FitbitReader(HealthClient client)
        {
            _streams = new PointStreams(client ?? throw new ArgumentNullException(nameof(client)));
        }

        internal HealthClient Client => _streams.Client;

        /// <summary>Requests this reader has made so far (its command's count).</summary>
        public int RequestCount => _streams.Client.RequestCount;

        /// <summary>Roll-up chunks requested ahead of the one being yielded, per data type.</summary>
        public int Lookahead { get => _streams.Lookahead; set => _streams.Lookahead = value; }

        /// <summary>
        /// Until the returned scope is disposed, a read that repeats the previous read of the same
        /// data type with the same filter (list) or days (daily roll-up chunk) is answered from that
        /// read instead of the API. Why: an export reads sleep once for sessions and once for stages,
        /// and its change probe (the weight list, the total-calories roll-up of the trailing window)
        /// is exactly the first request of the full read that follows when the probe finds a change.
        /// One answer is kept per data type (the latest), list pages on disk as <see cref="PageSpool"/>
        /// keeps them, so memory stays flat. Failed reads are not kept. Nested scopes share the outer one.
        /// Meant for one consumer at a time (an export run), not for reads that must see fresh data.
        /// </summary>
        public IDisposable ShareReads() => _streams.Shared.Open();

        /// <summary>Resolve From/To/Days against the client's clock ("today" on this machine).</summary>
        public CivilRange Resolve(DateTime? from, DateTime? to, int? days, int defaultDays = RequestPlanner.DefaultDays)
            => RequestPlanner.Resolve(from, to, days, Client.Clock(), defaultDays);

        /// <summary>Weigh-ins with body fat of the same weigh-in and BMI from the latest height.
        /// Requests: pages(weight) + pages(body-fat) + 1 (latest height).</summary>
        public IEnumerable<ReadItem<BodyWeight>> ReadBodyWeight(CivilRange range, CancellationToken cancellationToken)
        {
            var weights = _streams.ListAscending(DataTypeCatalog.Weight, range, false, cancellationToken);
            var fats = _streams.ListAscending(DataTypeCatalog.BodyFat, range, false, cancellationToken);
            // Newest first: one point of an unfiltered list is the latest height.
            var height = BodyRecords.HeightMillimetersAsync(_streams.NewestAsync(DataTypeCatalog.Height, 1, cancellationToken));
            return BodyRecords.Weights(weights, fats, height, cancellationToken);
        }

        /// <summary>Weigh-ins from the weight list alone: no body fat, no BMI (those stay null).
        /// Requests: pages(weight). The export's change probe for Weight compares these with the file.</summary>
        public IEnumerable<ReadItem<BodyWeight>> ReadWeighIns(CivilRange range, CancellationToken cancellationToken)
            => _streams.ListRecords(DataTypeCatalog.Weight, range, BodyRecords.ToWeighIn, cancellationToken);

        /// <summary>Daily activity from dailyRollUp of seven types, each on its own chunk grid.</summary>
        public IEnumerable<ReadItem<ActivityDay>> ReadActivityDays(CivilRange range, CancellationToken cancellationToken)
            => ActivityRecords.Days(_streams.DailyRollUpsByDay(ActivityDayTypes, range, cancellationToken), ActivityDayTypes);

        /// <summary>Days with only <see cref="ActivityDay.CaloriesTotal"/> set, from the total-calories
        /// daily roll-up alone (one request per 90 days). The export's change probe for Activity.</summary>
        public IEnumerable<ReadItem<ActivityDay>> ReadDailyTotalCalories(CivilRange range, CancellationToken cancellationToken)
            => PointStreams.WhenRead(() => _streams.DailyRollUpAscending(DataTypeCatalog.TotalCalories, range, cancellationToken))
                .Select(i => i.Map(ActivityRecords.ToActivityDay));

        /// <summary>The types behind an ActivityDay (activity-level gives all four intensity minutes
        /// in one 90-day roll-up, cheaper than active-minutes (14 days) + sedentary-period).</summary>
        public static IReadOnlyList<DataTypeInfo> ActivityDayTypes => ActivityRecords.DayTypes;

        /// <summary>Intraday activity via rollUp with the window size (steps, distance, floors, calories).</summary>
        public IEnumerable<ReadItem<ActivityInterval>> ReadActivityIntervals(CivilRange range, IntradayInterval interval, CancellationToken cancellationToken)
        {
            var window = RequestPlanner.WindowOf(interval);
            var types = ActivityRecords.IntervalTypes;
            return _streams.InPersonZone(zone => ActivityRecords.Intervals(
                _streams.RollUpsByWindow(types, range, window, zone, cancellationToken), types, zone, window), cancellationToken);
        }

        /// <summary>Sleep sessions dated by wake day (filter on civil_end_time: Google's own day boundary).</summary>
        public IEnumerable<ReadItem<SleepSession>> ReadSleep(CivilRange range, CancellationToken cancellationToken)
            => SleepRecords.Sessions(_streams.ListAscending(DataTypeCatalog.Sleep, range, false, cancellationToken));

        /// <summary>The stage segments of each sleep, in time order.</summary>
        public IEnumerable<ReadItem<FitbitPS.Engine.Records.SleepStage>> ReadSleepStages(CivilRange range, CancellationToken cancellationToken)
            => SleepRecords.Stages(PointStreams.WhenRead(() => _streams.ListAscending(DataTypeCatalog.Sleep, range, false, cancellationToken)));

        /// <summary>Resting heart rate per day: list with a date filter, one request for up to 10,000 days.</summary>
        public IEnumerable<ReadItem<RestingHeartRate>> ReadRestingHeartRate(CivilRange range, CancellationToken cancellationToken)
            => _streams.ListRecords(DataTypeCatalog.DailyRestingHeartRate, range, HeartRecords.ToRestingHeartRate, cancellationToken);

        /// <summary>Heart rate min/avg/max per window (rollUp, 14-day chunks).</summary>
        public IEnumerable<ReadItem<HeartRateInterval>> ReadHeartRateIntervals(CivilRange range, IntradayInterval interval, CancellationToken cancellationToken)
        {
            var window = RequestPlanner.WindowOf(interval);
            return _streams.InPersonZone(zone => HeartRecords.Intervals(
                _streams.RollUpAscending(DataTypeCatalog.HeartRate, range, window, zone, cancellationToken), zone, window), cancellationToken);
        }

        /// <summary>Raw heart-rate samples (list, 10,000 per page, replayed oldest first).</summary>
        public IEnumerable<ReadItem<HeartRateSample>> ReadHeartRateSamples(CivilRange range, CancellationToken cancellationToken)
            => _streams.ListAscending(DataTypeCatalog.HeartRate, range, false, PageParsers.HeartRate, cancellationToken);

        public IEnumerable<ReadItem<HeartRateVariability>> ReadHeartRateVariability(CivilRange range, CancellationToken cancellationToken)
            => _streams.ListRecords(DataTypeCatalog.DailyHeartRateVariability, range, DailyMetricRecords.ToHeartRateVariability, cancellationToken);

        public IEnumerable<ReadItem<OxygenSaturation>> ReadOxygenSaturation(CivilRange range, CancellationToken cancellationToken)
            => _streams.ListRecords(DataTypeCatalog.DailyOxygenSaturation, range, DailyMetricRecords.ToOxygenSaturation, cancellationToken);

        public IEnumerable<ReadItem<BreathingRate>> ReadBreathingRate(CivilRange range, CancellationToken cancellationToken)
            => _streams.ListRecords(DataTypeCatalog.DailyRespiratoryRate, range, DailyMetricRecords.ToBreathingRate, cancellationToken);

        public IEnumerable<ReadItem<SkinTemperature>> ReadSkinTemperature(CivilRange range, CancellationToken cancellationToken)
            => _streams.ListRecords(DataTypeCatalog.DailySleepTemperatureDerivations, range, DailyMetricRecords.ToSkinTemperature, cancellationToken);

        public IEnumerable<ReadItem<CardioFitness>> ReadCardioFitness(CivilRange range, CancellationToken cancellationToken)
            => _streams.ListRecords(DataTypeCatalog.DailyVo2Max, range, DailyMetricRecords.ToCardioFitness, cancellationToken);

        /// <summary>Exercises started on the days of the range (25 per page: the API's maximum).</summary>
        public IEnumerable<ReadItem<FitbitPS.Engine.Records.Exercise>> ReadExercise(CivilRange range, CancellationToken cancellationToken)
            => ExerciseRecords.Exercises(_streams.ListAscending(DataTypeCatalog.Exercise, range, false, cancellationToken));

        /// <summary>Any data type by name ("steps", "heartRate"), any read method by name (null: the type's
        /// default, or RollUp when a window is given), as generic flat records. Unknown names and methods the
        /// type does not support are <see cref="FitbitInputException"/>s that say what would work.</summary>
        public IEnumerable<ReadItem<HealthDataPoint>> ReadData(string typeName, string methodName, CivilRange range, TimeSpan? window, CancellationToken cancellationToken)
        {
            var type = DataTypeCatalog.Get(typeName);
            if (window.HasValue && window.Value < TimeSpan.FromSeconds(1))
                throw new FitbitInputException(FitbitInputException.InvalidArgument, $"-WindowSize {window.Value} is shorter than one second.",
                    window.Value, "Give -WindowSize 00:00:01 or longer, e.g. (New-TimeSpan -Hours 1).");
            DataTypeMethods method;
            if (string.IsNullOrEmpty(methodName)) method = window.HasValue ? DataTypeMethods.RollUp : DefaultMethod(type);
            else if (!Enum.TryParse(methodName, true, out method) || method == DataTypeMethods.None)
                throw new FitbitInputException(FitbitInputException.InvalidArgument, $"'{methodName}' is not a read method.", methodName,
                    "Use List, Reconcile, DailyRollUp or RollUp.");
            return ReadData(type, method, range, window, cancellationToken);
        }

        /// <summary>Any data type, any read method, as generic flat records.</summary>
        public IEnumerable<ReadItem<HealthDataPoint>> ReadData(DataTypeInfo type, DataTypeMethods method, CivilRange range, TimeSpan? window, CancellationToken cancellationToken)
        {
            if (method == DataTypeMethods.None) method = DefaultMethod(type);
            if (!type.Supports(method))
                throw new FitbitInputException(FitbitInputException.UnsupportedMethod, $"{type.Id} cannot be read with {method}.", type.Id + " " + method,
                    $"{type.Id} supports {type.Methods}: use -Method {type.Methods.ToString().Split(',')[0].Trim()}.");
            switch (method)
            {
                case DataTypeMethods.List:
                case DataTypeMethods.Reconcile:
                    return _streams.ListAscending(type, range, method == DataTypeMethods.Reconcile, cancellationToken).Select(i => i.Map(p => GenericRecords.From(type, p)));
                case DataTypeMethods.DailyRollUp:
                    return _streams.DailyRollUpAscending(type, range, cancellationToken).Select(i => i.Map(p => GenericRecords.From(type, p, null)));
                default:
                    var size = window ?? TimeSpan.FromHours(1);
                    return _streams.InPersonZone(zone => _streams.RollUpAscending(type, range, size, zone, cancellationToken)
                        .Select(i => i.Map(p => GenericRecords.From(type, p, zone))), cancellationToken);
            }
        }

        /// <summary>List when the type has it (raw points), else daily roll-up.</summary>
        public static DataTypeMethods DefaultMethod(DataTypeInfo type)
            => type.Supports(DataTypeMethods.List) ? DataTypeMethods.List
             : type.Supports(DataTypeMethods.DailyRollUp) ? DataTypeMethods.DailyRollUp
             : type.Supports(DataTypeMethods.Reconcile) ? DataTypeMethods.Reconcile : DataTypeMethods.RollUp;

        /// <summary>Points of <paramref name="type"/> in the range, oldest first (the fetch starts now).</summary>
        internal IEnumerable<ReadItem<DataPoint>> ListAscending(DataTypeInfo type, CivilRange range, bool reconcile, CancellationToken cancellationToken)
            => _streams.ListAscending(type, range, reconcile, cancellationToken);

        /// <summary>Daily roll-ups of one type over the range, oldest day first.</summary>
        internal IEnumerable<ReadItem<RollupDataPoint>> DailyRollUpAscending(DataTypeInfo type, CivilRange range, CancellationToken cancellationToken)
            => _streams.DailyRollUpAscending(type, range, cancellationToken);

        /// <summary>A raw heart-rate list page (newest first, as sent) into records: the byte scanner, or
        /// Newtonsoft when the page has another shape. Public for the parse benchmark.</summary>
        public static List<HeartRateSample> ParseHeartRatePage(byte[] body) => PageParsers.ParseHeartRatePage(new ArraySegment<byte>(body));

        /// <summary>The same over a page in a (pooled) buffer.</summary>
        public static List<HeartRateSample> ParseHeartRatePage(ArraySegment<byte> body) => PageParsers.ParseHeartRatePage(body);
    }
}

namespace FitbitPS.Engine.Auth
{
    /// <summary>Gives the Health API client a current access token; refreshes transparently.</summary>
    public interface IAccessTokenSource
    {
        /// <param name="forceRefresh">true after a 401: the cached access token was refused.</param>
        System.Threading.Tasks.Task<string> GetAccessTokenAsync(bool forceRefresh, System.Threading.CancellationToken cancellationToken);
    }
}

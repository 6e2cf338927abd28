package dev.mnode.cloud;

import com.dropbox.core.http.HttpRequestor;
import java.io.IOException;
import java.net.URI;

/**
 * Sends the Dropbox SDK's requests to a configured endpoint. The SDK builds every URL as {@code
 * https://<DbxHost name>/...} and its {@code DbxHost} cannot carry a port or another scheme, so
 * the store gives the SDK a {@code DbxHost} naming the endpoint's host and this requestor puts the
 * endpoint's scheme and port back. Immutable; thread-safe as its delegate is.
 */
final class EndpointRequestor extends HttpRequestor {
  private final HttpRequestor delegate;
  private final String sdkBase;
  private final String endpointBase;

  EndpointRequestor(HttpRequestor delegate, URI endpoint) {
    this.delegate = delegate;
    this.sdkBase = "https://" + endpoint.getHost() + "/";
    this.endpointBase = endpoint.getScheme() + "://" + endpoint.getRawAuthority() + "/";
  }

  private String map(String url) throws IOException {
    if (!url.startsWith(sdkBase)) {
      throw new IOException("refusing a Dropbox request outside the configured endpoint");
    }
    return endpointBase + url.substring(sdkBase.length());
  }

  @Override
  public Response doGet(String url, Iterable<Header> headers) throws IOException {
    return delegate.doGet(map(url), headers);
  }

  @Override
  public Uploader startPost(String url, Iterable<Header> headers) throws IOException {
    return delegate.startPost(map(url), headers);
  }

  @Override
  public Uploader startPostInStreamingMode(String url, Iterable<Header> headers)
      throws IOException {
    return delegate.startPostInStreamingMode(map(url), headers);
  }

  @Override
  public Uploader startPut(String url, Iterable<Header> headers) throws IOException {
    return delegate.startPut(map(url), headers);
  }
}

package dev.reel.edge.download;

import dev.reel.edge.http.VideoGate;
import dev.reel.edge.storage.MediaStorage;
import dev.reel.events.Rendition;
import dev.reel.events.RenditionKind;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.service.http.ApiException;
import dev.reel.service.http.Responses;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /v/<videoId>/download/<rendition>.mp4} and {@code /v/<videoId>/download/audio.m4a}: progressive files made
 * from the stored segments on first request ({@link DownloadMaker}) and served from storage with ranges
 * ({@link RangedObjectSender}). The video's access rules hold ({@link VideoGate}: private videos need a token); the owner
 * may turn downloads off (403); only a complete rendition is made (409 while it is still being transcoded); the audio of a
 * video without audio is 404.
 */
public final class DownloadHandler extends Handler.Abstract.NonBlocking {

    private static final int DOWNLOAD_SECONDS = 3600;
    private static final String STORAGE_RETRY_AFTER_SECONDS = "2";

    private final VideoGate gate;
    private final DownloadMaker maker;
    private final RangedObjectSender sender;

    public DownloadHandler(VideoGate gate, DownloadMaker maker, ObjectStorage storage, Executor executor) {
        this.gate = gate;
        this.maker = maker;
        this.sender = new RangedObjectSender(storage, executor);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Optional<DownloadFile> parsed = DownloadFile.parse(Request.getPathInContext(request));
        if (parsed.isEmpty()) {
            return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404,
                    "downloads are <rendition>.mp4 or audio.m4a");
        }
        if (!Responses.isGetOrHead(request)) {
            return Responses.methodNotAllowed(request, response, callback, "GET, HEAD, OPTIONS");
        }
        DownloadFile file = parsed.get();
        Optional<VideoGate.Admitted> admitted = gate.admit(request, response, callback, file.videoId());
        if (admitted.isEmpty()) {
            return true;
        }
        VideoRecord video = admitted.get().video();
        Map<String, String> about = Map.of("videoId", video.videoId());
        if (video.downloadsOff()) {
            return Responses.error(request, response, callback, HttpStatus.FORBIDDEN_403,
                    "the owner turned downloads off for this video", about);
        }
        List<Rendition> complete = video.renditions().stream().filter(r -> !r.growing()).toList();
        // a video transcoded with demuxed audio has one audio rendition that every video rung plays with
        Rendition audio = video.renditions().stream().filter(r -> r.kind() == RenditionKind.AUDIO).findFirst().orElse(null);
        Rendition source;
        if (file.isAudio()) {
            if (video.source().audioCodec() == null) {
                return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "this video has no audio", about);
            }
            source = DownloadFile.audioSource(audio, complete.stream().filter(Rendition::hasVideo).toList());
        } else {
            Rendition named = video.renditions().stream().filter(r -> r.hasVideo() && r.name().equals(file.rendition()))
                    .findFirst().orElse(null);
            if (named == null && video.state() == VideoState.READY) {
                return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "no such rendition", about);
            }
            boolean audioGrowing = named != null && named.kind() == RenditionKind.VIDEO && audio != null && audio.growing();
            source = named == null || named.growing() || audioGrowing ? null : named;
        }
        if (source == null) {
            return Responses.error(request, response, callback, HttpStatus.CONFLICT_409,
                    "still being transcoded: downloads are made from complete renditions", Map.of("videoId", video.videoId(),
                            "state", video.state().name()));
        }
        String cacheControl = admitted.get().access().cacheControl(DOWNLOAD_SECONDS);
        String name = video.videoId() + (file.isAudio() ? ".m4a" : "-" + file.rendition() + ".mp4");
        maker.ensure(file, source, source.kind() == RenditionKind.VIDEO ? audio : null, video.source().durationSeconds())
                .whenComplete((object, failure) -> {
                    if (failure == null) {
                        sender.send(request, response, callback, object, file.contentType(), cacheControl, name);
                        return;
                    }
                    Throwable cause = MediaStorage.cause(failure);
                    if (cause instanceof StorageException storage && !storage.isNotFound()) {
                        response.getHeaders().put(HttpHeader.RETRY_AFTER, STORAGE_RETRY_AFTER_SECONDS);
                        Responses.failure(request, response, callback, new ApiException(HttpStatus.SERVICE_UNAVAILABLE_503,
                                "object storage unavailable, retry shortly", cause));
                    } else {
                        // a segment missing, or the remux failed: nothing was stored; logged once with its cause
                        Responses.failure(request, response, callback, new ApiException(HttpStatus.INTERNAL_SERVER_ERROR_500,
                                "the download could not be made from the stored segments", cause));
                    }
                });
        return true;
    }
}

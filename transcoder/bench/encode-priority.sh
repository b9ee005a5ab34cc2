#!/usr/bin/env bash
# What chunk encodes at a given niceness cost the publish path on the same machine. Side by side in one run: the
# worker's work between an upload's last byte and its copy (two ffprobes, the 1 s decode check, the fMP4 HLS remux of
# a 30 s 1080p original), timed alone and while two ladder encodes (4 rungs each, as two workers' chunk tasks) run at
# each niceness. Prints the median of N runs and its ratio to the time alone.
# Usage: [THREADS=n] transcoder/bench/encode-priority.sh [runs (5)] [niceness ... (10 19)]
# THREADS: the encodes' -threads and -filter_threads (unset: ffmpeg's choice, one per core)
set -euo pipefail
runs=${1:-5}
shift || true
levels=("$@")
[ ${#levels[@]} -gt 0 ] || levels=(10 19)
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
cd "$dir"
ffmpeg -v error -y -f lavfi -i testsrc2=size=1920x1080:rate=25 -f lavfi -i sine=frequency=440:sample_rate=48000 -t 30 \
    -c:v libx264 -preset veryfast -b:v 4M -g 50 -pix_fmt yuv420p -c:a aac -b:a 128k src.mp4

encode() { # one worker's chunk task: decode once, four rungs, x264 with its own threads, until killed
    nice -n "$1" ffmpeg -v error -nostdin -stream_loop -1 -i src.mp4 -filter_complex \
        "[0:v]split=4[a][b][c][d];[a]scale=-2:240[v0];[b]scale=-2:360[v1];[c]scale=-2:480[v2];[d]scale=-2:720[v3]" \
        -map "[v0]" -map "[v1]" -map "[v2]" -map "[v3]" -c:v libx264 -preset veryfast ${THREADS:+-threads $THREADS -filter_threads $THREADS} -f null - &
}

publish_path() { # seconds for what a worker does before the copy is stored
    rm -rf out && mkdir -p out/v out/a
    local start end
    start=$(date +%s%N)
    ffprobe -v error -show_streams -show_format -of json src.mp4 >/dev/null
    ffprobe -v error -select_streams 0 -show_entries packet=pts,dts,duration,size,flags -of compact=p=0 src.mp4 >/dev/null
    ffmpeg -v error -nostdin -t 1 -i src.mp4 -map 0:0 -f null -
    ffmpeg -v error -nostdin -copyts -i src.mp4 -map 0:0 -map 0:1 -c copy -f hls -hls_time 4 -hls_segment_type fmp4 \
        -hls_playlist_type vod -var_stream_map "v:0,name:v a:0,name:a" out/%v/index.m3u8
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

median() { sort -n | sed -n "$(((runs + 1) / 2))p"; }

alone=$(for _ in $(seq "$runs"); do publish_path; done | median)
printf '%-34s %6d ms\n' "alone" "$alone"
for level in "${levels[@]}"; do
    encode "$level"
    encode "$level"
    sleep 3 # the encodes at full speed
    took=$(for _ in $(seq "$runs"); do publish_path; done | median)
    kill $(jobs -p) && wait 2>/dev/null || true
    printf '%-34s %6d ms  %.2fx\n' "2 encodes at nice $level" "$took" "$(echo "$took / $alone" | bc -l)"
done

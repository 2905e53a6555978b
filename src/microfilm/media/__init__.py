"""ffmpeg-native media: argv builder, probe, segments, subtitles, audio mix, loudness, QC."""

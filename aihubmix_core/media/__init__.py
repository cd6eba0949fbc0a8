"""Images, speech, transcription, rerank and video: pure request builders and reply
parsers per route, flows that poll and download, and the client methods that run them."""

from .files import AUDIO_TYPES, IMAGE_TYPES, MAX_AUDIO_BYTES, FileSource, Upload, read_upload
from .images import DEFAULT_IMAGE_MODEL, EditOptions, ImageOptions, ImageSize
from .polling import PollSchedule, job_state
from .predictions import is_prediction_model
from .rerank import DEFAULT_RERANK_MODEL, RerankOptions
from .speech import (
    DEFAULT_SPEECH_MODEL,
    MAX_SPEECH_CHARACTERS,
    OPENAI_VOICES,
    SPEECH_FORMATS,
    OpenAIVoice,
    SpeechOptions,
)
from .transcription import DEFAULT_TRANSCRIPTION_MODEL, TRANSCRIPT_FORMATS, TranscribeOptions
from .types import (
    GeneratedImage,
    ImageResult,
    JobState,
    RerankResult,
    SpeechResult,
    Transcription,
    TranscriptionSegment,
    Video,
    VideoJob,
)
from .videos import DEFAULT_VIDEO_MODEL, VideoOptions, WaitOptions

__all__ = [
    "AUDIO_TYPES",
    "DEFAULT_IMAGE_MODEL",
    "DEFAULT_RERANK_MODEL",
    "DEFAULT_SPEECH_MODEL",
    "DEFAULT_TRANSCRIPTION_MODEL",
    "DEFAULT_VIDEO_MODEL",
    "IMAGE_TYPES",
    "MAX_AUDIO_BYTES",
    "MAX_SPEECH_CHARACTERS",
    "OPENAI_VOICES",
    "SPEECH_FORMATS",
    "TRANSCRIPT_FORMATS",
    "EditOptions",
    "FileSource",
    "GeneratedImage",
    "ImageOptions",
    "ImageResult",
    "ImageSize",
    "JobState",
    "OpenAIVoice",
    "PollSchedule",
    "RerankOptions",
    "RerankResult",
    "SpeechOptions",
    "SpeechResult",
    "TranscribeOptions",
    "Transcription",
    "TranscriptionSegment",
    "Upload",
    "Video",
    "VideoJob",
    "VideoOptions",
    "WaitOptions",
    "is_prediction_model",
    "job_state",
    "read_upload",
]

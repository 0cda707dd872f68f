// The OpenSubsonic API's response objects as TypeScript types, generated from the schemas of its OpenAPI
// description (tests/fixtures/opensubsonic-openapi/, a pinned commit) by tests/opensubsonic-types.ts.
// Do not edit: run `node tests/opensubsonic-types.ts --write` (Biome leaves it as generated).
export interface OpenSubsonicSchemas {
Agent?: Agent
AlbumID3?: AlbumID3
AlbumID3WithSongs?: (AlbumID3 & {
/**
 * The list of songs
 */
song: Child[]
})
AlbumInfo?: AlbumInfo
AlbumList?: AlbumList
AlbumList2?: AlbumList2
/**
 * The list type. Must be one of the following: random, newest, highest, frequent, recent. Since 1.8.0 you can also use alphabeticalByName or alphabeticalByArtist to page through all albums alphabetically, and starred to retrieve starred albums. Since 1.10.1 you can use byYear and byGenre to list albums in a given year range or genre.
 */
AlbumListType?: ("random" | "newest" | "highest" | "frequent" | "recent" | "alphabeticalByName" | "alphabeticalByArtist" | "starred" | "byYear" | "byGenre")
Artist?: Artist
ArtistID3?: ArtistID3
ArtistInfo?: ArtistInfo
ArtistInfo2?: ArtistInfo2
ArtistWithAlbumsID3?: (ArtistID3 & {
/**
 * Artist albums
 */
album: AlbumID3[]
})
ArtistsID3?: ArtistsID3
Bookmark?: Bookmark
Bookmarks?: Bookmarks
ChatMessage?: ChatMessage
ChatMessages?: ChatMessages
Child?: Child
ClientInfo?: ClientInfo
CodecProfile?: CodecProfile
Contributor?: Contributor
Cue?: Cue
CueLine?: CueLine
DirectPlayProfile?: DirectPlayProfile
Directory?: Directory
DiscTitle?: DiscTitle
Error?: Error
/**
 * Returns “explicit”, “clean” or “”. (For songs extracted from tags “ITUNESADVISORY”: 1 = explicit, 2 = clean, MP4 “rtng”: 1 or 4 = explicit, 2 = clean. See `albumID3` for albums)
 */
ExplicitStatus?: ("clean" | "explicit" | "")
FindSonicPathResult?: FindSonicPathResult
/**
 * The generic type of media [music/podcast/audiobook/video]
 */
GenericMediaType?: ("music" | "video" | "podcast" | "audiobook")
Genre?: Genre
Genres?: Genres
Index?: Index
IndexID3?: IndexID3
Indexes?: Indexes
InternetRadioStation?: InternetRadioStation
InternetRadioStations?: InternetRadioStations
ItemDate?: ItemDate
ItemGenre?: ItemGenre
/**
 * JukeBox action.
 */
JukeboxAction?: ("get" | "status" | "set" | "start" | "stop" | "skip" | "add" | "clear" | "remove" | "shuffle" | "setGain")
JukeboxPlaylist?: (JukeboxStatus & {
/**
 * The songs currently enqueued in the jukebox
 */
entry?: Child[]
})
JukeboxStatus?: JukeboxStatus
License?: License
Limitation?: Limitation
Line?: Line
Lyrics?: Lyrics
LyricsList?: LyricsList
/**
 * Note: If you support `musicBrainzId` you must support this field to ensure clients knows what the ID refers to.
 */
MediaType?: ("song" | "album" | "artist")
Movement?: Movement
MusicFolder?: MusicFolder
MusicFolders?: MusicFolders
NewestPodcasts?: NewestPodcasts
NowPlaying?: NowPlaying
NowPlayingEntry?: (Child & {
/**
 * The username
 */
username: string
/**
 * Last update
 */
minutesAgo: number
/**
 * Player Id
 */
playerId: number
/**
 * Player name
 */
playerName?: string
/**
 * Playback state.
 */
state?: ("starting" | "playing" | "paused" | "stopped")
/**
 * Current playback position in milliseconds (Calculated by the server from the last playbackReport call received)
 */
positionMs?: number
/**
 * Playback speed multiplier
 */
playbackRate?: number
})
OpenSubsonicExtension?: OpenSubsonicExtension
PlayQueue?: PlayQueue
PlayQueueByIndex?: PlayQueueByIndex
Playlist?: Playlist
PlaylistWithSongs?: (Playlist & {
/**
 * The list of songs
 */
entry?: Child[]
})
Playlists?: Playlists
PodcastChannel?: PodcastChannel
PodcastEpisode?: (Child & {
/**
 * ID used for streaming podcast
 */
streamId?: string
/**
 * TID of the podcast channel
 */
channelId: string
/**
 * Episode description
 */
description?: string
/**
 * An enumeration of possible podcast statuses
 */
status: ("new" | "downloading" | "completed" | "error" | "deleted" | "skipped")
/**
 * Date the episode was published [ISO 8601]
 */
publishDate?: string
})
/**
 * An enumeration of possible podcast statuses
 */
PodcastStatus?: ("new" | "downloading" | "completed" | "error" | "deleted" | "skipped")
Podcasts?: Podcasts
RecordLabel?: RecordLabel
ReplayGain?: ReplayGain
ScanStatus?: ScanStatus
SearchResult?: SearchResult
SearchResult2?: SearchResult2
SearchResult3?: SearchResult3
Share?: Share
Shares?: Shares
SimilarSongs?: SimilarSongs
SimilarSongs2?: SimilarSongs2
Songs?: Songs
SonicMatch?: SonicMatch
SonicSimilarTracksResult?: SonicSimilarTracksResult
Starred?: Starred
Starred2?: Starred2
StreamDetails?: StreamDetails
StructuredLyrics?: StructuredLyrics
SubsonicResponse?: SubsonicResponse
TokenInfo?: TokenInfo
TopSongs?: TopSongs
TranscodeDecision?: TranscodeDecision
/**
 * A transcode decision.
 */
TranscodeDecisionResponse?: {
[k: string]: unknown
}
Transcoding?: Transcoding
TranscodingProfile?: TranscodingProfile
User?: User
Users?: Users
VideoInfo?: VideoInfo
Videos?: Videos
Work?: Work
}
/**
 * Reusable metadata for a vocal agent within a structuredLyrics entry
 */
export interface Agent {
/**
 * Opaque identifier for this agent. The value is only meaningful within the parent structuredLyrics entry and must be unique within that entry
 */
id: string
/**
 * Semantic vocal-layer classification for cueLines that reference this agent. One of: main (lead/default vocal layer), voice (additional explicit individual voice part), bg (background vocals), group (group/chorus vocals). When a structuredLyrics entry uses agents for cue-attributed lyrics, it must define exactly one main agent
 */
role: ("main" | "voice" | "bg" | "group")
/**
 * Optional human-readable label for this agent, such as a singer or character name from the source metadata
 */
name?: string
}
/**
 * Album with songs.
 */
export interface AlbumID3 {
/**
 * The id of the album
 */
id: string
/**
 * The album name.
 */
name: string
/**
 * The album version name (Remastered, Anniversary Box Set, …).
 */
version?: string
/**
 * Artist name.
 */
artist?: string
/**
 * The id of the artist
 */
artistId?: string
/**
 * A covertArt id.
 */
coverArt?: string
/**
 * Number of songs
 */
songCount: number
/**
 * Total duration of the album in seconds
 */
duration: number
/**
 * Number of play of the album
 */
playCount?: number
/**
 * Date the album was added. [ISO 8601]
 */
created: string
/**
 * Date the album was added. [ISO 8601]
 */
starred?: string
/**
 * The album year
 */
year?: number
/**
 * The album genre
 */
genre?: string
/**
 * Date the album was last played. [ISO 8601]
 */
played?: string
/**
 * The user rating of the album. [1-5]
 */
userRating?: number
/**
 * The labels producing the album.
 */
recordLabels?: RecordLabel[]
/**
 * The album MusicBrainzID.
 */
musicBrainzId?: string
/**
 * The list of all genres of the album.
 */
genres?: ItemGenre[]
/**
 * The list of all album artists of the album.
 */
artists?: ArtistID3[]
/**
 * The single value display artist.
 */
displayArtist?: string
/**
 * The types of this album release. (Album, Compilation, EP, Remix, …).
 */
releaseTypes?: string[]
/**
 * The list of all moods of the album.
 */
moods?: string[]
/**
 * The album sort name.
 */
sortName?: string
/**
 * Date the album was originally released.
 */
originalReleaseDate?: ItemDate
/**
 * Date the specific edition of the album was released. Note: for files using ID3 tags, releaseDate should generally be read from the TDRL tag. Servers that use a different source for this field should document the behavior.
 */
releaseDate?: ItemDate
/**
 * True if the album is a compilation.
 */
isCompilation?: boolean
/**
 * Returns “explicit”, “clean” or “”. (For songs extracted from tags “ITUNESADVISORY”: 1 = explicit, 2 = clean, MP4 “rtng”: 1 or 4 = explicit, 2 = clean. See `albumID3` for albums)
 */
explicitStatus?: ("clean" | "explicit" | "")
/**
 * The list of all disc titles of the album.
 */
discTitles?: DiscTitle[]
/**
 * The list of songs
 */
song?: Child[]
}
/**
 * A record label for an album.
 */
export interface RecordLabel {
name: string
}
/**
 * A genre returned in list of genres for an item.
 */
export interface ItemGenre {
/**
 * Genre name
 */
name: string
}
/**
 * An artist from ID3 tags.
 */
export interface ArtistID3 {
/**
 * The id of the artist
 */
id: string
/**
 * The artist name.
 */
name: string
/**
 * A covertArt id.
 */
coverArt?: string
/**
 * An url to an external image source.
 */
artistImageUrl?: string
/**
 * Artist album count.
 */
albumCount?: number
/**
 * Date the artist was starred. [ISO 8601]
 */
starred?: string
/**
 * The artist MusicBrainzID.
 */
musicBrainzId?: string
/**
 * The artist sort name.
 */
sortName?: string
/**
 * A short human-readable comment, meant to be shown to users to distinguish between artists with the same name (e.g. 'French electronic duo').
 */
disambiguation?: string
/**
 * The list of all roles this artist has in the library.
 */
roles?: string[]
}
/**
 * A date for a media item that may be just a year, or year-month, or full date.
 */
export interface ItemDate {
/**
 * The year
 */
year?: number
/**
 * The month (1-12)
 */
month?: number
/**
 * The day (1-31)
 */
day?: number
}
/**
 * A disc title for an album with an optional cover art
 */
export interface DiscTitle {
/**
 * The disc number.
 */
disc: number
/**
 * The name of the disc.
 */
title: string
/**
 * The cover art ID of the disc.
 */
coverArt?: string
}
/**
 * A media.
 */
export interface Child {
/**
 * The id of the media.
 */
id: string
/**
 * The id of the parent (folder/album)
 */
parent?: string
/**
 * The media is a directory
 */
isDir: boolean
/**
 * The media name.
 */
title: string
/**
 * The album name.
 */
album?: string
/**
 * The artist name.
 */
artist?: string
/**
 * The track number.
 */
track?: number
/**
 * The media year.
 */
year?: number
/**
 * The media genre
 */
genre?: string
/**
 * The coverArt id.
 */
coverArt?: string
/**
 * A file size of the media.
 */
size?: number
/**
 * The mimeType of the media.
 */
contentType?: string
/**
 * The file suffix of the media.
 */
suffix?: string
/**
 * The transcoded mediaType if transcoding should happen.
 */
transcodedContentType?: string
/**
 * The file suffix of the transcoded media.
 */
transcodedSuffix?: string
/**
 * The duration of the media in seconds.
 */
duration?: number
/**
 * The bitrate of the media.
 */
bitRate?: number
/**
 * The bit depth of the media.
 */
bitDepth?: number
/**
 * The sampling rate of the media.
 */
samplingRate?: number
/**
 * The number of channels of the media.
 */
channelCount?: number
/**
 * The full path of the media.
 */
path?: string
/**
 * Media is a video
 */
isVideo?: boolean
/**
 * The user rating of the media [1-5]
 */
userRating?: number
/**
 * The average rating of the media [1.0-5.0]
 */
averageRating?: number
/**
 * The play count.
 */
playCount?: number
/**
 * The disc number.
 */
discNumber?: number
/**
 * Date the media was created. [ISO 8601]
 */
created?: string
/**
 * Date the media was starred. [ISO 8601]
 */
starred?: string
/**
 * The corresponding album id
 */
albumId?: string
/**
 * The corresponding artist id
 */
artistId?: string
/**
 * The generic type of media [music/podcast/audiobook/video]
 */
type?: ("music" | "video" | "podcast" | "audiobook")
/**
 * Note: If you support `musicBrainzId` you must support this field to ensure clients knows what the ID refers to.
 */
mediaType?: ("song" | "album" | "artist")
/**
 * The bookmark position in seconds
 */
bookmarkPosition?: number
/**
 * The video original Width
 */
originalWidth?: number
/**
 * The video original Height
 */
originalHeight?: number
/**
 * Date the album was last played. [ISO 8601]
 */
played?: string
/**
 * The BPM of the song.
 */
bpm?: number
/**
 * The comment tag of the song.
 */
comment?: string
/**
 * The song sort name.
 */
sortName?: string
/**
 * The track MusicBrainzID.
 */
musicBrainzId?: string
/**
 * The track ISRC(s).
 */
isrc?: string[]
/**
 * The list of all genres of the song.
 */
genres?: ItemGenre[]
/**
 * The list of all song artists of the song. (Note: Only the required `ArtistID3` fields should be returned by default)
 */
artists?: ArtistID3[]
/**
 * The single value display artist.
 */
displayArtist?: string
/**
 * The list of all album artists of the song. (Note: Only the required `ArtistID3` fields should be returned by default)
 */
albumArtists?: ArtistID3[]
/**
 * The single value display album artist.
 */
displayAlbumArtist?: string
/**
 * The list of all contributor artists of the song.
 */
contributors?: Contributor[]
/**
 * The single value display composer.
 */
displayComposer?: string
/**
 * The list of all moods of the song.
 */
moods?: string[]
/**
 * The replay gain data of the song.
 */
replayGain?: ReplayGain
/**
 * Returns “explicit”, “clean” or “”. (For songs extracted from tags “ITUNESADVISORY”: 1 = explicit, 2 = clean, MP4 “rtng”: 1 or 4 = explicit, 2 = clean. See `albumID3` for albums)
 */
explicitStatus?: ("clean" | "explicit" | "")
/**
 * The list of works associated with the song.
 */
works?: Work[]
/**
 * The list of movements associated with the song.
 */
movements?: Movement[]
/**
 * The list of groupings associated with the song.
 */
groupings?: string[]
}
/**
 * A contributor artist for a song or an album
 */
export interface Contributor {
/**
 * The contributor role.
 */
role: string
/**
 * The subRole for roles that may require it. Ex: The instrument for the performer role (TMCL/performer tags). Note: For consistency between different tag formats, the TIPL sub roles should be directly exposed in the role field.
 */
subRole?: string
artist: ArtistID3
}
/**
 * The replay gain data of a song. Note: If the data is not present the field must be ommited in the answer. (But the replayGain field on Child must always be present)
 */
export interface ReplayGain {
/**
 * The track replay gain value. (In Db)
 */
trackGain?: number
/**
 * The album replay gain value. (In Db)
 */
albumGain?: number
/**
 * The track peak value. (Must be positive)
 */
trackPeak?: number
/**
 * The album peak value. (Must be positive)
 */
albumPeak?: number
/**
 * The base gain value. (In Db) (Ogg Opus Output Gain for example)
 */
baseGain?: number
/**
 * An optional fallback gain that clients should apply when the corresponding gain value is missing. (Can be computed from the tracks or exposed as an user setting.)
 */
fallbackGain?: number
}
/**
 * A work associated with a song.
 */
export interface Work {
/**
 * The work name.
 */
name: string
/**
 * The MusicBrainz Work ID.
 */
musicBrainzId?: string
}
/**
 * A movement associated with a song.
 */
export interface Movement {
/**
 * The movement name.
 */
name: string
/**
 * The movement number.
 */
number?: number
/**
 * The total number of movements.
 */
count?: number
}
/**
 * Album info.
 */
export interface AlbumInfo {
/**
 * Album notes
 */
notes?: string
/**
 * Album musicBrainzId
 */
musicBrainzId?: string
/**
 * Album lastFmUrl
 */
lastFmUrl?: string
/**
 * Album smallImageUrl
 */
smallImageUrl?: string
/**
 * Album mediumImageUrl
 */
mediumImageUrl?: string
/**
 * Album largeImageUrl
 */
largeImageUrl?: string
}
/**
 * Album list.
 */
export interface AlbumList {
/**
 * Artist albums
 */
album?: Child[]
}
export interface AlbumList2 {
/**
 * Artist albums
 */
album?: AlbumID3[]
}
/**
 * Artist details.
 */
export interface Artist {
/**
 * Artist id
 */
id: string
/**
 * Artist name
 */
name: string
/**
 * Artist image url
 */
artistImageUrl?: string
/**
 * Artist starred date [ISO 8601]
 */
starred?: string
/**
 * Artist rating [1-5]
 */
userRating?: number
/**
 * Artist average rating [1.0-5.0]
 */
averageRating?: number
}
/**
 * Artist info.
 */
export interface ArtistInfo {
/**
 * Artist biography
 */
biography?: string
/**
 * Artist musicBrainzId
 */
musicBrainzId?: string
/**
 * Artist lastFmUrl
 */
lastFmUrl?: string
/**
 * Artist smallImageUrl
 */
smallImageUrl?: string
/**
 * Artist mediumImageUrl
 */
mediumImageUrl?: string
/**
 * Artist largeImageUrl
 */
largeImageUrl?: string
/**
 * Similar artists
 */
similarArtist?: Artist[]
}
/**
 * Artist info.
 */
export interface ArtistInfo2 {
/**
 * Artist biography
 */
biography?: string
/**
 * Artist musicBrainzId
 */
musicBrainzId?: string
/**
 * Artist lastFmUrl
 */
lastFmUrl?: string
/**
 * Artist smallImageUrl
 */
smallImageUrl?: string
/**
 * Artist mediumImageUrl
 */
mediumImageUrl?: string
/**
 * Artist largeImageUrl
 */
largeImageUrl?: string
/**
 * Similar artists
 */
similarArtist?: ArtistID3[]
}
/**
 * A list of indexed Artists.
 */
export interface ArtistsID3 {
/**
 * List of ignored articles space separated
 */
ignoredArticles?: string
/**
 * Index list
 */
index?: IndexID3[]
}
/**
 * An indexed artist list by ID3 tags.
 */
export interface IndexID3 {
/**
 * Index name
 */
name: string
/**
 * Artist list
 */
artist?: ArtistID3[]
}
/**
 * A bookmark.
 */
export interface Bookmark {
/**
 * Bookmark position in milliseconds
 */
position: number
/**
 * Username
 */
username: string
/**
 * Bookmark comment
 */
comment?: string
/**
 * Bookmark creation date [ISO 8601]
 */
created: string
/**
 * Bookmark last updated date [ISO 8601]
 */
changed: string
/**
 * The bookmark file
 */
entry: Child
}
/**
 * Bookmarks list.
 */
export interface Bookmarks {
/**
 * List of bookmark
 */
bookmark?: Bookmark[]
}
/**
 * A chatMessage.
 */
export interface ChatMessage {
/**
 * Username
 */
username: string
/**
 * Time in millis since Jan 1 1970
 */
time: number
/**
 * The message
 */
message: string
}
/**
 * Chat messages list.
 */
export interface ChatMessages {
/**
 * List of chatMessage
 */
chatMessage?: ChatMessage[]
}
export interface ClientInfo {
name: string
platform: string
maxAudioBitrate?: number
maxTranscodingAudioBitrate?: number
directPlayProfiles?: DirectPlayProfile[]
transcodingProfiles?: TranscodingProfile[]
codecProfiles?: CodecProfile[]
}
export interface DirectPlayProfile {
/**
 * The list of supported containers. An empty array means any containers.
 */
containers: string[]
/**
 * The list of supported codecs. An empty array means any codecs.
 */
audioCodecs: string[]
/**
 * The list of supported protocols. An empty array means any protocols.
 */
protocols: ("http" | "hls")[]
maxAudioChannels?: number
}
export interface TranscodingProfile {
container: string
audioCodec: string
protocol: ("http" | "hls")
maxAudioChannels?: number
}
export interface CodecProfile {
type: "AudioCodec"
name: string
limitations?: Limitation[]
}
export interface Limitation {
/**
 * The name of the limitation.
 */
name: ("audioChannels" | "audioBitrate" | "audioProfile" | "audioSamplerate" | "audioBitdepth")
/**
 * The comparison operator.
 */
comparison: ("Equals" | "NotEquals" | "LessThanEqual" | "GreaterThanEqual")
/**
 * The values to compare against. For LessThanEqual and GreaterThanEqual only the first value will be used.
 */
values: string[]
/**
 * Whether this limitation is required.
 */
required: boolean
}
/**
 * A word or syllable cue within a cueLine
 */
export interface Cue {
/**
 * Start time in milliseconds
 */
start: number
/**
 * End time in milliseconds. Within a cueLine, end must be either present on all cues or none. When the source provides partial end times, servers must fill missing values (e.g., using the next cue's start, or the cueLine's end for the final cue). When no cues have end times (e.g., Enhanced LRC with start-only timing), end is omitted from all cues. This is a documented contract rule; this schema does not enforce the all-or-none shape structurally
 */
end?: number
/**
 * Required zero-based inclusive UTF-8 byte offset into the parent cueLine.value where this cue begins. The parent cueLine must include value, and the offsets must be calculated against the final cueLine.value with no normalization step
 */
byteStart: number
/**
 * Required zero-based inclusive UTF-8 byte offset into the parent cueLine.value where this cue ends. byteStart must be less than or equal to byteEnd, the parent cueLine must include value, and the offsets must be calculated against the final cueLine.value with no normalization step. This schema does not enforce the cross-field ordering constraint structurally
 */
byteEnd: number
/**
 * The text of this word or syllable
 */
value: string
}
/**
 * Word/syllable-level timing data for a lyrics line or agent layer
 */
export interface CueLine {
/**
 * Zero-based index into the parent line array this cueLine corresponds to
 */
index: number
/**
 * Start time in milliseconds (may differ from the parent line if cues are more precise)
 */
start?: number
/**
 * End time in milliseconds
 */
end?: number
/**
 * Required full text for this cueLine. When agent attribution splits one parent line into multiple cueLines, this is the text for that cueLine's agent/layer, not necessarily the parent line's combined text. Nested cue byteStart and byteEnd offsets are always calculated against this exact final UTF-8 string
 */
value: string
/**
 * Opaque identifier referencing an agent in the same structuredLyrics entry. If the parent structuredLyrics entry includes agents, every cueLine in that entry must include agentId, and the value must match exactly one agents[].id in that entry. If the parent entry does not include agents, cueLines must not include agentId. When multiple cueLines share the same index, the cueLine whose referenced agent has role main must come first
 */
agentId?: string
/**
 * Ordered list of word/syllable cues. Every cue includes required byteStart and byteEnd offsets into value
 */
cue: Cue[]
}
/**
 * Directory.
 */
export interface Directory {
/**
 * The id
 */
id: string
/**
 * Parent item
 */
parent?: string
/**
 * The directory name
 */
name: string
/**
 * Starred date [ISO 8601]
 */
starred?: string
/**
 * The user rating [1-5]
 */
userRating?: number
/**
 * The average rating [1-5]
 */
averageRating?: number
/**
 * The play count
 */
playCount?: number
/**
 * The directory content
 */
child?: Child[]
}
export interface Error {
/**
 * The error code.
 * * 0: A generic error.
 * * 10: Required parameter is missing.
 * * 20: Incompatible Subsonic REST protocol version. Client must upgrade.
 * * 30: Incompatible Subsonic REST protocol version. Server must upgrade.
 * * 40: Wrong username or password.
 * * 41: Token authentication not supported for LDAP users.
 * * 42: Provided authentication mechanism not supported.
 * * 43: Multiple conflicting authentication mechanisms provided.
 * * 44: Invalid API key.
 * * 50: User is not authorized for the given operation.
 * * 60: The trial period for the Subsonic server is over. Please upgrade to Subsonic Premium. Visit subsonic.org for details.
 * * 70: The requested data was not found.
 */
code: (0 | 10 | 20 | 30 | 40 | 41 | 42 | 43 | 44 | 50 | 60 | 70)
/**
 * The optional error message
 */
message?: string
/**
 * A URL (documentation, configuration, etc) which may provide additional context for the error)
 */
helpUrl?: string
}
/**
 * The result of a sonic path search between two songs.
 */
export interface FindSonicPathResult {
/**
 * An ordered list of songs forming the path from the start song to the end song, each with its similarity score from the starting song.
 */
sonicMatch: SonicMatch[]
}
/**
 * A sonic match entry, containing a Child entry object and a normalized similarity score.
 */
export interface SonicMatch {
entry: Child
/**
 * The normalized similarity score (1.0 = same exact song, 0.0 = most different). For getSonicSimilarTracks, relative to the query song. For findSonicPath, relative to the starting song. Returns -1 when similarity is not supported by the server.
 */
similarity: number
}
/**
 * A genre.
 */
export interface Genre {
/**
 * Genre name
 */
value: string
/**
 * Genre song count
 */
songCount: number
/**
 * Genre album count
 */
albumCount: number
}
/**
 * Genres list.
 */
export interface Genres {
/**
 * List of genre
 */
genre?: Genre[]
}
/**
 * An indexed artist list.
 */
export interface Index {
/**
 * Index name
 */
name: string
/**
 * Artist list
 */
artist?: Artist[]
}
/**
 * Artist list.
 */
export interface Indexes {
/**
 * The ignored articles
 */
ignoredArticles: string
/**
 * Last time the index was modified in milliseconds after January 1, 1970 UTC
 */
lastModified: number
/**
 * Shortcut
 */
shortcut?: Artist[]
/**
 * Array of children
 */
child?: Child[]
/**
 * Indexed artists
 */
index?: Index[]
}
/**
 * An internetRadioStation.
 */
export interface InternetRadioStation {
/**
 * The Id
 */
id: string
/**
 * The name
 */
name: string
/**
 * The streamUrl
 */
streamUrl: string
/**
 * The home page URL for the station.
 */
homePageUrl?: string
/**
 * The cover art id.
 */
coverArt?: string
}
/**
 * internetRadioStations.
 */
export interface InternetRadioStations {
/**
 * A list of internetRadioStation
 */
internetRadioStation?: InternetRadioStation[]
}
/**
 * jukeboxStatus.
 */
export interface JukeboxStatus {
/**
 * The current index of the song being played
 */
currentIndex: number
/**
 * Whether the queue is currently playing
 */
playing: boolean
/**
 * Volume, in a range of [0.0, 1.0]
 */
volume: number
/**
 * The current position of the track in seconds
 */
position?: number
}
/**
 * getLicense result.
 */
export interface License {
/**
 * The status of the license
 */
valid: boolean
/**
 * User email
 */
email?: string
/**
 * End of license date. [ISO 8601]
 */
licenseExpires?: string
/**
 * End of trial date. [ISO 8601]
 */
trialExpires?: string
}
/**
 * One line of a song lyric
 */
export interface Line {
/**
 * The actual text of this line
 */
value: string
/**
 * The start time of the lyrics, relative to the start time of the track, in milliseconds. If this is not part of synced lyrics, start __must__ be omitted
 */
start?: number
}
/**
 * Lyrics.
 */
export interface Lyrics {
/**
 * The lyrics
 */
value: string
/**
 * The artist name
 */
artist?: string
/**
 * The song title
 */
title?: string
}
/**
 * List of structured lyrics
 */
export interface LyricsList {
/**
 * Structured lyrics. There can be multiple lyrics of the same type with the same language
 */
structuredLyrics?: StructuredLyrics[]
}
/**
 * Structured lyrics
 */
export interface StructuredLyrics {
/**
 * The lyrics language (ideally ISO 639). If the language is unknown (e.g. lrc file), the server must return `und` (ISO standard) or `xxx` (common value for taggers). Ideally, the server will return lang as an ISO 639 (2/3) code. However, tagged files and external lyrics can come with any value as a potential language code, so clients should take care when displaying lang.
 * 
 * Furthermore, there is special behavior for the value xxx. While not an ISO code, it is commonly used by taggers and other parsing software. Clients should treat xxx as not having a specified language (equivalent to the und code).
 */
lang: string
/**
 * True if the lyrics are synced, false otherwise
 */
synced: boolean
/**
 * The actual lyrics. Ordered by start time (synced) or appearance order (unsynced)
 */
line: Line[]
/**
 * The artist name to display. This could be the localized name, or any other value
 */
displayArtist?: string
/**
 * The title to display. This could be the song title (localized), or any other value
 */
displayTitle?: string
/**
 * The offset to apply to all lyrics, in milliseconds. Positive means lyrics appear sooner, negative means later. If not included, the offset must be assumed to be 0
 */
offset?: number
/**
 * The primary lyric-layer classification for this structuredLyrics entry. One of: main (primary vocals for this entry, default if omitted), translation (a translation of another lyric layer into another language), pronunciation (a phonetic/romanized rendering, e.g. romaji for Japanese, pinyin for Chinese). Tracks are independent across kind values; clients should not assume 1:1 line or cue alignment between entries. Only returned when enhanced=true
 */
kind?: ("main" | "translation" | "pronunciation")
/**
 * Reusable per-track attribution metadata for cueLine entries. When present, agents must contain at least one entry, and each agents[].id must be unique within this structuredLyrics entry. Agents are optional for simple unattributed single-layer lyrics. When a structuredLyrics entry represents multiple vocal agents or layers, it must include agents; a single-agent attributed or default entry may also include agents, and if it does, exactly one agent must use role main. Agents should not be emitted without cueLine data
 * 
 * @minItems 1
 */
agents?: [Agent, ...(Agent)[]]
/**
 * Word/syllable-level timing data. Each cueLine corresponds to a line in this structuredLyrics entry by its index field. Every cueLine includes value, and every cue includes byteStart and byteEnd offsets into that exact string. When agents split one parent line into multiple cueLines, each cueLine.value is the renderable text for that agent/layer, not necessarily the parent line's combined text. If agents is present, every cueLine in the entry must include agentId, and each agentId must match exactly one agents[].id in that entry. If agents is absent, cueLines must not include agentId. Only returned when enhanced=true and synced is true
 */
cueLine?: CueLine[]
}
/**
 * MusicFolder.
 */
export interface MusicFolder {
/**
 * The id
 */
id: number
/**
 * The folder name
 */
name?: string
}
/**
 * MusicFolders.
 */
export interface MusicFolders {
/**
 * The folders
 */
musicFolder?: MusicFolder[]
}
/**
 * NewestPodcasts.
 */
export interface NewestPodcasts {
episode?: (Child & {
/**
 * ID used for streaming podcast
 */
streamId?: string
/**
 * TID of the podcast channel
 */
channelId: string
/**
 * Episode description
 */
description?: string
/**
 * An enumeration of possible podcast statuses
 */
status: ("new" | "downloading" | "completed" | "error" | "deleted" | "skipped")
/**
 * Date the episode was published [ISO 8601]
 */
publishDate?: string
})[]
}
/**
 * nowPlaying.
 */
export interface NowPlaying {
/**
 * The now playing entries
 */
entry: (Child & {
/**
 * The username
 */
username: string
/**
 * Last update
 */
minutesAgo: number
/**
 * Player Id
 */
playerId: number
/**
 * Player name
 */
playerName?: string
/**
 * Playback state.
 */
state?: ("starting" | "playing" | "paused" | "stopped")
/**
 * Current playback position in milliseconds (Calculated by the server from the last playbackReport call received)
 */
positionMs?: number
/**
 * Playback speed multiplier
 */
playbackRate?: number
})[]
}
/**
 * A supported OpenSubsonic API extension.
 */
export interface OpenSubsonicExtension {
/**
 * The name of the extension.
 */
name: string
/**
 * The list of supported versions of the this extension.
 */
versions: number[]
}
/**
 * NowPlayingEntry.
 */
export interface PlayQueue {
/**
 * ID of currently playing track. This will be provided if one or more entries exists
 */
current?: string
/**
 * Position in milliseconds of currently playing track. If not provided, treat this value as 0
 */
position?: number
/**
 * The user this queue belongs to
 */
username: string
/**
 * Date modified [ISO 8601]
 */
changed: string
/**
 * Name of client app
 */
changedBy: string
/**
 * The list of songs in the queue
 */
entry?: Child[]
}
/**
 * NowPlayingEntry with queue index.
 */
export interface PlayQueueByIndex {
/**
 * Index of currently playing track.  This must be provided if one or more entries exists
 */
currentIndex?: number
/**
 * Position in milliseconds of currently playing track. If not provided, treat this value as 0
 */
position?: number
/**
 * The user this queue belongs to
 */
username: string
/**
 * Date modified [ISO 8601]
 */
changed: string
/**
 * Name of client app
 */
changedBy: string
/**
 * The list of songs in the queue
 */
entry?: Child[]
}
/**
 * Playlist.
 */
export interface Playlist {
/**
 * Id of the playlist
 */
id: string
/**
 * Name of the playlist
 */
name: string
/**
 * A comment
 */
comment?: string
/**
 * Owner of the playlist
 */
owner?: string
/**
 * Is the playlist public
 */
public?: boolean
/**
 * number of songs
 */
songCount: number
/**
 * Playlist duration in seconds
 */
duration: number
/**
 * Creation date [ISO 8601]
 */
created: string
/**
 * Last changed date [ISO 8601]
 */
changed: string
/**
 * A cover Art Id
 */
coverArt?: string
/**
 * A list of allowed usernames
 */
allowedUser?: string[]
/**
 * [OS] If true the playlist cannot be edited by the current user
 */
readonly?: boolean
/**
 * [OS] Date the playlist contents are considered valid until [ISO 8601]. Empty or absent means no caching guarantee.
 */
validUntil?: string
}
/**
 * Playlists.
 */
export interface Playlists {
/**
 * The playlists
 */
playlist?: Playlist[]
}
/**
 * A Podcast channel
 */
export interface PodcastChannel {
/**
 * The channel ID
 */
id: string
/**
 * Podcast channel URL
 */
url: string
/**
 * The channel title
 */
title?: string
/**
 * The channel description
 */
description?: string
/**
 * ID used for retrieving cover art
 */
coverArt?: string
/**
 * URL for original image of podcast channel
 */
originalImageUrl?: string
/**
 * An enumeration of possible podcast statuses
 */
status: ("new" | "downloading" | "completed" | "error" | "deleted" | "skipped")
/**
 * An error message
 */
errorMessage?: string
/**
 * Podcast episodes with this channel
 */
episode?: (Child & {
/**
 * ID used for streaming podcast
 */
streamId?: string
/**
 * TID of the podcast channel
 */
channelId: string
/**
 * Episode description
 */
description?: string
/**
 * An enumeration of possible podcast statuses
 */
status: ("new" | "downloading" | "completed" | "error" | "deleted" | "skipped")
/**
 * Date the episode was published [ISO 8601]
 */
publishDate?: string
})[]
}
/**
 * Podcasts.
 */
export interface Podcasts {
/**
 * Podcast channel(s)
 */
channel?: PodcastChannel[]
}
/**
 * Scan status information.
 */
export interface ScanStatus {
/**
 * The status of the scan
 */
scanning: boolean
/**
 * Scanned item count
 */
count?: number
}
/**
 * searchResult. TODO
 */
export interface SearchResult {

}
/**
 * searchResult2
 */
export interface SearchResult2 {
/**
 * Starred artists
 */
artist?: Artist[]
/**
 * Starred albums
 */
album?: Child[]
/**
 * Starred songs
 */
song?: Child[]
}
/**
 * searchResult3
 */
export interface SearchResult3 {
/**
 * Matching artists
 */
artist?: ArtistID3[]
/**
 * Matching albums
 */
album?: AlbumID3[]
/**
 * Matching songs
 */
song?: Child[]
}
/**
 * Share.
 */
export interface Share {
/**
 * The share Id
 */
id: string
/**
 * The share url
 */
url: string
/**
 * A description
 */
description?: string
/**
 * The username
 */
username: string
/**
 * Creation date [ISO 8601]
 */
created: string
/**
 * Share expiration [ISO 8601]
 */
expires?: string
/**
 * Last visit [ISO 8601]
 */
lastVisited?: string
/**
 * Visit count
 */
visitCount: number
/**
 * A list of share
 */
entry?: Child[]
}
/**
 * Shares.
 */
export interface Shares {
/**
 * A list of share
 */
share?: Share[]
}
/**
 * SimilarSongs list.
 */
export interface SimilarSongs {
/**
 * List of songs
 */
song?: Child[]
}
/**
 * SimilarSongs2 list.
 */
export interface SimilarSongs2 {
/**
 * List of songs
 */
song?: Child[]
}
/**
 * Songs list.
 */
export interface Songs {
/**
 * List of songs
 */
song?: Child[]
}
/**
 * The result of a sonic similar tracks search.
 */
export interface SonicSimilarTracksResult {
/**
 * A list of similar songs ordered by similarity, each with its normalized similarity score from the query song.
 */
sonicMatch?: SonicMatch[]
}
/**
 * starred.
 */
export interface Starred {
/**
 * Starred artists
 */
artist?: Artist[]
/**
 * Starred albums
 */
album?: Child[]
/**
 * Starred songs
 */
song?: Child[]
}
/**
 * Starred2.
 */
export interface Starred2 {
/**
 * Starred artists
 */
artist?: ArtistID3[]
/**
 * Starred albums
 */
album?: AlbumID3[]
/**
 * Starred songs
 */
song?: Child[]
}
export interface StreamDetails {
protocol: ("http" | "hls")
container: string
codec: string
audioChannels?: number
audioBitrate?: number
audioProfile?: string
audioSamplerate?: number
audioBitdepth?: number
}
/**
 * Common answer wrapper.
 */
export interface SubsonicResponse {
"subsonic-response"?: ((SubsonicBaseResponse & {
/**
 * The command result. `ok`
 */
status: "ok"
}) | (SubsonicBaseResponse & {
/**
 * The command result. `failed`
 */
status: "failed"
error: Error
}))
}
export interface SubsonicBaseResponse {
/**
 * The server supported Subsonic API version.
 */
version: string
/**
 * The server actual name. [Ex: Navidrome or gonic]
 */
type: string
/**
 * The server version.
 */
serverVersion: string
/**
 * Must return true if the server support OpenSubsonic API v1
 */
openSubsonic: boolean
}
/**
 * Information about an API key
 */
export interface TokenInfo {
/**
 * Username associated with token
 */
username: string
}
/**
 * TopSongs list.
 */
export interface TopSongs {
/**
 * List of songs
 */
song?: Child[]
}
export interface TranscodeDecision {
canDirectPlay: boolean
canTranscode: boolean
transcodeReason?: string[]
errorReason?: string
transcodeParams?: string
sourceStream?: StreamDetails
transcodeStream?: StreamDetails
}
/**
 * The transcoding extension
 */
export interface Transcoding {
/**
 * The name of the extension.
 */
name: "transcoding"
/**
 * The version of the extension.
 */
version: string
/**
 * The endpoints provided by this extension.
 */
endpoints: string[]
}
/**
 * user.
 */
export interface User {
/**
 * Username
 */
username: string
/**
 * Scrobbling enabled
 */
scrobblingEnabled: boolean
maxBitRate?: number
/**
 * Whether the user is an admin
 */
adminRole: boolean
/**
 * Whether the user is can edit settings
 */
settingsRole: boolean
/**
 * Whether the user can download
 */
downloadRole: boolean
/**
 * Whether the user can upload
 */
uploadRole: boolean
/**
 * Whether the user can create playlists
 */
playlistRole: boolean
/**
 * Whether the user can get cover art
 */
coverArtRole: boolean
/**
 * Whether the user can create comments
 */
commentRole: boolean
/**
 * Whether the user can create/refresh podcasts
 */
podcastRole: boolean
/**
 * Whether the user can stream
 */
streamRole: boolean
/**
 * Whether the user can control the jukebox
 */
jukeboxRole: boolean
/**
 * Whether the user can create a stream
 */
shareRole: boolean
/**
 * Whether the user can convert videos
 */
videoConversionRole: boolean
/**
 * Last time the avatar was changed [ISO 8601]
 */
avatarLastChanged?: string
/**
 * Folder ID(s)
 */
folder?: number[]
}
/**
 * users.
 */
export interface Users {
/**
 * Array of users
 */
user?: User[]
}
/**
 * videoInfo. TODO
 */
export interface VideoInfo {

}
/**
 * videos. TODO
 */
export interface Videos {

}

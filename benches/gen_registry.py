"""Independent synthetic generator of DTKS-like person records, with a truth table.

Written apart from ``padan synth`` (and without reading it) so that padan's accuracy is also
measured on data built from other assumptions. Everything here comes from the domain brief
(NIK and KK layout, placeholder dates, relation codes, spelling reform, titles, address
notations) and from general knowledge of Indonesian names and places.

Profile:

* Regions: about fifty regencies in Sumatra, Java, Bali and Nusa Tenggara, Kalimantan, Sulawesi,
  Maluku and Papua, each with its own mix of naming traditions and its own sub-village units
  (dusun, kampung, jorong, banjar, lingkungan, lorong, padukuhan, jaga). Merauke residents
  registered before the 2022 split carry the retired 91.01 prefix.
* Names: Javanese one-word names, Sundanese, Batak with marga (married women keep their own, often
  written "BR"), Mandailing, Balinese birth-order names and caste titles, Bugis (Andi, Muh.,
  Sitti), Madurese, Sasak (Lalu/Baiq), Acehnese (Teuku/Cut), Banjar, Minang, Chinese-Indonesian
  (including Hakka three-syllable names in West Kalimantan), Christian names with family names
  from NTT, Papua, Maluku, Minahasa and Toraja; names given after about 1992 in Muslim families
  draw from a modern pool (Muhammad Rizki, Putri Ayu...). Frequencies are Zipf-like.
* NIK: digits 1-6 of the place of first registration (migrants carry another district's code),
  DD(+40)MMYY, and a serial per first 12 digits with gaps for people outside the sample. Twins get
  NIKs one serial apart, boy/girl twins usually differ only in digit 7. A few adults have a
  birth date that was corrected after the NIK was issued. Placeholder dates (1 Jul, 31 Dec,
  1 Jan, the 15th) are over-represented among older people.
* Addresses: street, gang (Roman numerals), perumahan/komplek blocks, dusun, kampung, jorong,
  banjar, lingkungan, with RT/RW written in a dozen notations or only in the rt/rw columns.

Extra copies (``duplicate_kind`` on the copy, variations in ``variation``): exact copy,
name variant, Excel-damaged NIK, NIK missing, address notation, relation recoded, NIK typo,
date error, moved with a new NIK, household re-registered under a new KK (one mechanism each),
and blank NIK + date error, moved + NIK typo, NIK typo + date error, name variant + date error,
name variant + NIK missing (two mechanisms). Hard non-duplicates keep their own entity ids and are
marked ``nik_ganda_household``, ``twin``, ``father_son_same_name`` and
``namesake_same_birth_date``; each such pair is also listed in ``hard_pairs`` (kind, id_a, id_b,
where id_a is the marked row).

Usage::

    python benches/gen_registry.py --rows 100000 --seed 1 --out DIR [--format parquet|csv]

writes ``DIR/dtks.parquet``, ``DIR/truth.parquet`` and ``DIR/hard_pairs.parquet`` (or .csv).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import os
import random
import sys
import time

REF_YEAR = 2024
COPY_SHARE = 0.10

RECORD_COLUMNS = [
    "id_dtks",
    "nik",
    "no_kk",
    "nama",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "hubungan_keluarga",
    "nama_ibu_kandung",
    "alamat",
    "rt",
    "rw",
    "kelurahan",
    "kecamatan",
    "kabupaten_kota",
    "provinsi",
    "program",
]
TRUTH_COLUMNS = ["id_dtks", "entity_id", "household_id", "duplicate_kind", "variation"]


# --------------------------------------------------------------------------------------------
# Weighted pools


class Pool:
    """Items in descending frequency, drawn with Zipf-like weights 1 / (rank + offset) ** s."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, text: str, s: float = 1.0, offset: float = 1.5) -> None:
        self.items = [t.strip() for t in text.split(",") if t.strip()]
        w = [1.0 / (i + offset) ** s for i in range(len(self.items))]
        self.cum = list(itertools.accumulate(w))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> str:
        """Draw one item."""
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _wpick(rng: random.Random, items: list, cum: list):
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


# --------------------------------------------------------------------------------------------
# Name pools

JAV_M1 = Pool(
    "SUTRISNO, SLAMET, MULYADI, SUPRIYADI, SUGIYANTO, SUPARMAN, SUYATNO, SUKIRMAN, SUNARTO, "
    "PURWANTO, HARTONO, SUGENG, WAHYUDI, SUHARTO, SUKARDI, SUPARNO, SUMARNO, SUTARNO, PAIJO, "
    "TUKIMAN, DARMAJI, SARIMIN, KASMIN, PONIMAN, SUWARNO, SUPRAPTO, SUNARDI, SUROSO, MARJUKI, "
    "TRIYONO, SUBAGYO, SUMADI, PARNO, KATIMIN, SAIMAN, JUMADI, SISWANTO, MUJIONO, SUPANGAT"
)
JAV_MF = Pool(
    "AGUS, BUDI, EKO, JOKO, BAMBANG, HERU, TEGUH, DWI, TRI, ANDI, BAYU, ARIF, HADI, DENI, "
    "YULI, ARI, SIGIT, ADI, DIDIK, TONI, HERI, RUDI, IWAN, WAHYU, BUDHI"
)
JAV_MS = Pool(
    "SETIAWAN, SANTOSO, PRASETYO, SUSILO, WIBOWO, PURNOMO, NUGROHO, HIDAYAT, KURNIAWAN, SAPUTRO, "
    "SUTRISNO, RIYADI, WALUYO, HARYANTO, WIDODO, SUSANTO, HANDOKO, CAHYONO, PRIYANTO, RAHARJO, "
    "SUBEKTI, WIDIYANTO, SULISTYO, PRAMONO, SUGIHARTO"
)
JAV_F1 = Pool(
    "SULASTRI, SUMIYATI, SUMARNI, NURHAYATI, SUPARMI, SUKINAH, WARTINI, PAINEM, TUKINEM, SUTINAH, "
    "NGATINI, SURATMI, SUWARNI, MUJIYEM, SUGIYEM, PARTINI, KASINEM, SRIYATUN, MARYATI, SUPRAPTI, "
    "SUMINAH, SITI MUNAWAROH, SUYATMI, WAGIYEM, JUMINAH, SUKESI, KATMI, RUMINI, SUDARMI"
)
JAV_FF = Pool("SRI, TRI, DWI, ENDANG, RINI, DEWI, SITI, YULI, ETI, ANI, NUR, EKA, ENI, TUTIK")
JAV_FS = Pool(
    "WAHYUNI, RAHAYU, MULYANI, LESTARI, HARTATI, SUSANTI, ASTUTI, WIDAYATI, HANDAYANI, PURWANTI, "
    "SUPRIHATIN, ARIYANTI, SETYOWATI, KUSUMAWATI, WULANDARI, RAHMAWATI, MUNAWAROH, ROHMAH, "
    "SUMARSIH, PUJIASTUTI, SULISTYOWATI, WINARSIH"
)
SUN_M1 = Pool(
    "ASEP, UJANG, DEDE, CECEP, DEDEN, DADANG, ENDANG, IWAN, YAYAT, ADE, OMAN, JAJANG, AJAT, "
    "ENGKOS, MAMAN, NANANG, TATANG, AEP, ENCEP, ENTIS, UJA, KOKO, DUDI, ACENG, DODI"
)
SUN_MS = Pool(
    "SAEPUDIN, SUPRIATNA, SUNARYA, HIDAYAT, SUHERMAN, SOPIAN, KUSNADI, ROHMAN, SOBARI, MULYANA, "
    "PERMANA, RUHIYAT, SETIAWAN, GUNAWAN, KURNIAWAN, SUPRIADI, SAEPULOH, NURJAMAN, SUTISNA, "
    "HERMAWAN, RUSTANDI, SUKMANA, SUPARMAN, JUHANA"
)
SUN_F1 = Pool(
    "EUIS, NENENG, IIS, YETI, ENOK, CUCU, ENENG, ENTIN, IMAS, NINING, ELIS, YATI, POPON, AI, "
    "ENUNG, TITIN, LILIS, NENDEN, OOM, EUTIK, TETI, IKA, YAYAH, ONAH"
)
SUN_FS = Pool(
    "SUMIATI, KURNIASIH, RAHAYU, NURHAYATI, KOMARIAH, ROHAYATI, SOPIAH, MARYATI, ROSITA, MULYANI, "
    "HASANAH, SURYANI, JUBAEDAH, NURJANAH, AMINAH, KARTIKA, LISNAWATI, SUMARNI, HERAWATI"
)
ISL_M1 = Pool(
    "MUHAMMAD, AHMAD, ABDUL, ZULKIFLI, SYAMSUL, ZAINAL, HASAN, ISMAIL, IBRAHIM, YUSUF, RIDWAN, "
    "USMAN, HAMZAH, BASRI, FAUZI, KHAIRUL, SYAHRUL, HERMAN, RUSLAN, RAHMAT, JUNAIDI, MUKHLIS, "
    "ARIFIN, AMIR, SAIFUL, NASRUL, HUSAIN, IDRIS, JAMALUDDIN, SULAIMAN, HASBULLAH"
)
ISL_MS = Pool(
    "HIDAYAT, BAHRI, ANWAR, ABIDIN, HAMID, HASAN, EFENDI, SALEH, SYAH, ARIF, RAHMAN, NASUTION, "
    "HAKIM, ALI, ILYAS, MUSTAFA, THALIB, HUSEIN, AMIN, SIREGAR, FAHMI, ZAKARIA"
)
ISL_F1 = Pool(
    "SITI, NUR, NURHAYATI, FATIMAH, AMINAH, HALIMAH, ROSMAWATI, RAHMAWATI, NURLELA, MASNAH, "
    "ROSNAH, JAMILAH, ZUBAIDAH, SALMAH, HASNAH, MARIANA, NURBAYA, KHAIRANI, MAIMUNAH, ROHANI, "
    "ZAINAB, MARYAM, ASMAH, NURIAH, RUKIAH, SAODAH, AISYAH"
)
ISL_FS = Pool(
    "AMINAH, RAHMAWATI, HASANAH, HIDAYATI, FITRIANI, SARI, WATI, ZAHRA, YANTI, HANUM, ULFA, "
    "MARLINA, SUSANTI, NINGSIH, WAHYUNI"
)
DEP = {
    "MUHAMMAD": Pool(
        "RIZKI, YUSUF, NUR, ALI, RIDWAN, HASAN, ARIF, IQBAL, RIZAL, FAHMI, SALEH, IDRIS, AMIN, "
        "ILYAS, ILHAM, FAUZAN, HIDAYAT, SYAFII, NASIR, TAUFIK, ZAINI, YAMIN, ANSORI, SOLEH"
    ),
    "AHMAD": Pool(
        "FAUZI, YANI, DAHLAN, SYAFII, RIFAI, HIDAYAT, ZAKI, SUBANDI, MUZAKKI, FAUZAN, HANAFI, "
        "JUNAIDI, SUHADI, NAWAWI"
    ),
    "ABDUL": Pool(
        "RAHMAN, HAKIM, AZIZ, MALIK, GAFUR, HALIM, MANAN, KADIR, WAHAB, RAHIM, LATIF, MAJID, "
        "SAMAD, HAMID, MUIS, SALAM, ROSYID, JALIL"
    ),
    "SITI": Pool(
        "AMINAH, FATIMAH, KHODIJAH, AISYAH, RAHMAH, HAJAR, MARYAM, ZAINAB, HALIMAH, SALAMAH, "
        "JUBAEDAH, NURJANAH, MAIMUNAH, ROHANI, NURHALIZA, MUNAWAROH, KOMARIAH, ROMLAH, SUNDARI, "
        "NURHASANAH, ZULAIKHA, MUSLIMAH, ULFAH"
    ),
    "NUR": Pool("AINI, HASANAH, JANNAH, HIDAYAH, AFNI, ASIAH, HALIMAH, LAILA, FITRIANI, AZIZAH"),
    "SRI": JAV_FS,
}
# first tokens that are not a whole name alone, and the pool their second token comes from
NEEDS_SECOND = {
    "MUHAMMAD": "MUHAMMAD",
    "M.": "MUHAMMAD",
    "MUH.": "MUHAMMAD",
    "MOH.": "MUHAMMAD",
    "MOHAMMAD": "MUHAMMAD",
    "AHMAD": "AHMAD",
    "ABDUL": "ABDUL",
    "ABD.": "ABDUL",
    "SITI": "SITI",
    "SITTI": "SITI",
    "ST.": "SITI",
    "NUR": "NUR",
    "NOR": "NUR",
    "NURUL": "NUR",
    "SRI": "SRI",
}
MODERN_M1 = Pool(
    "MUHAMMAD, RIZKY, DIMAS, ADITYA, FAJAR, BAGAS, ILHAM, REZA, ALIF, FARHAN, AKBAR, RAFI, DAFFA, "
    "ARKAN, FAHRI, YOGA, GILANG, RIZAL, ANDIKA, ALDI, RAIHAN, FIKRI, HAIKAL, ZIDAN",
    s=1.1,
)
MODERN_MS = Pool(
    "RAMADHAN, SAPUTRA, PRATAMA, MAULANA, NUGRAHA, FIRMANSYAH, HIDAYAT, PUTRA, AL FARIZI, "
    "FAUZAN, AKBAR, SYAHPUTRA, ARDIANSYAH, KURNIAWAN, ADITYA, WIJAYA, SETIAWAN, ANSYAH, HAKIM"
)
MODERN_F1 = Pool(
    "SITI, PUTRI, NUR, DEWI, AYU, NABILA, SALSABILA, AULIA, ANISA, INTAN, DINDA, NADIA, FITRI, "
    "INDAH, ZAHRA, AISYAH, NAJWA, KHOIRUNNISA, RIZKA, AMELIA, ALYA, KEISHA",
    s=1.1,
)
MODERN_FS = Pool(
    "PUTRI, SAFITRI, LESTARI, RAHMAWATI, SARI, RAMADHANI, AZZAHRA, WULANDARI, ANGGRAINI, APRILIA, "
    "HANDAYANI, NURAINI, AULIA, PRATIWI, FEBRIANTI, OKTAVIANI, MAHARANI, KHAIRUNNISA, AYU"
)
MIN_M1 = Pool(
    "AFRIZAL, SYAFRIZAL, ZULKARNAIN, YUSRIZAL, HENDRI, ERWIN, ZULFAHMI, ASRIL, NOFRIZAL, RIZAL, "
    "EFENDI, JASMAN, SYAFRUDDIN, ZULHENDRI, DASRIL, ANDRIZAL, YULIZAR, MASRIL, BUSTAMI, AMRIL, "
    "DEFRIZAL, YUNALDI, ASWIR, ZULFIKAR"
)
MIN_F1 = Pool(
    "YUSNIAR, ROSNAWATI, YULINAR, NURHASNI, DESMAWATI, ELFIRA, YENNI, MARDIANA, SYAFRIDA, "
    "ASMANIAR, ROSMANIAR, NELLI, WIRDANINGSIH, YUSNIDAR, ERNAWATI, YASNIDAR, NURMALIS, ELMIWATI, "
    "DELFI, NURSIAH, YUSNAWATI"
)
BUG_M1 = Pool(
    "MUH., MUHAMMAD, AMBO, BASO, ABD., SYAMSUDDIN, BAHARUDDIN, HASANUDDIN, SAENAL, JUMADI, "
    "SUDIRMAN, ARIFUDDIN, NASRUDDIN, KAHARUDDIN, MUSTARI, SYAHRIR, SAHABUDDIN, RUSDI, HAMKA, "
    "JUFRI, ASRI, IRWAN, RAHMAN"
)
BUG_MS = Pool(
    "ARSYAD, AMIN, YUSUF, NASIR, TAUFIK, IDRIS, RUSDI, SALEH, RIDWAN, JUFRI, ILHAM, TUO, DALLE, "
    "SAKKA, ARIF, RAHIM, SYUKUR, ALI, BASRI"
)
BUG_F1 = Pool(
    "SITTI, HASNAH, NURHAEDAH, RAHMATIA, MURNI, NURHALIZAH, HASMAWATI, ROSMIATI, NURLIA, HAJRAH, "
    "MARWAH, SALMAWATI, MASNIAR, HADIJAH, NURJANNAH, ST., HASNIATI, RISNAWATI, SUKMAWATI, "
    "ASRIANI, NURMAWATI, HAMSIAH"
)
BUG_FS = Pool(
    "AMINAH, HASNAH, RAHMA, SAENAB, MARWAH, HAWA, NURSIA, KASMA, HADIJAH, SUNARTI, FATIMAH, "
    "RUGAYAH, HALIJAH, SAMSIAH"
)
MAD_M1 = Pool(
    "MOH., ABD., MARSUKI, SUHAIMI, HOSNAN, SUNAWI, BUNAMIN, MATRAWI, MOHAMMAD, SAMSUL, SUKARDI, "
    "FATHOR, MUSLEH, MARZUKI, SUBAIRI, HOLIL, SUNARTO, SAHRONI"
)
MAD_MS = Pool(
    "RAHMAN, HOSNAN, RASID, TOHIR, SALEH, MANAF, HOLIK, KADIR, ROSYID, SAMAD, SYAFI'I, MUHLIS, "
    "FARUK, WAHED"
)
MAD_F1 = Pool(
    "SITTI, MAISAROH, HOSNIYAH, SUNIYAH, MARYAMAH, SUMIYATI, BUNIATI, JUMANI, SITI, HALIMAH, "
    "SUNARTI, HOLIFAH, MUSRIFAH, SAIDAH, MAHMUDAH"
)
SAS_M1 = Pool(
    "MUHAMMAD, M., ZULHAMDI, SAHRUL, HAERUDDIN, JUMAHIR, MAHSUN, SAPARUDIN, MAHNAN, SAHNAN, "
    "ABDUL, HERMAN, MUSTAKIM, SAMSUL, HAMDI, SAHIRUDIN, ZAINUDIN, JUNAIDI, KHAERUL, AHMAD"
)
SAS_F1 = Pool(
    "HAERANI, SAHNIAH, NURHAINI, MARDIAH, HAJAR, SITI, RAHMI, MAHNIAH, MULIANI, NURUL, "
    "SAPIAH, HUSNUL, RAHMAWATI, SAMSIAH, MARIANI, NURHASANAH, ROHANI, SANIAH"
)
ACE_M1 = Pool(
    "MUHAMMAD, ZULKIFLI, FAISAL, MUKHLIS, SYAHRIAL, MUNAWAR, RAZALI, ZAINAL, IRWANDI, MAHDI, "
    "SAIFUL, MUSLIM, NASRULLAH, AZHAR, FADHLI, TARMIZI, SULAIMAN, MARZUKI, ISKANDAR, JAMALUDDIN, "
    "SYAHRUL, BUSTAMI, NURDIN"
)
ACE_F1 = Pool(
    "NURSIAH, SALAWATI, RAHMAH, MARLIANA, NURHAYATI, ASMAUL HUSNA, SITI, NURUL, FAJRIAH, "
    "RATNA, ZAHRATUL AINI, MUNAWARAH, NURAINI, ROSMIATI, HASBIAH, YUSNIDAR, SAFRIDA, MURNIATI"
)
BAN_M1 = Pool(
    "MUHAMMAD, M., ABDUL, AHMAD, SYARIFUDDIN, RAHMADI, NORDIN, FAHRIANSYAH, JUHRANSYAH, SAMSUDIN, "
    "ARBAIN, HAMDANI, RUSLAN, IBERAHIM, SAHRIANI, ANSHARI, JUMBERI, MISRAN, RAHMAN, ASNAWI, "
    "NORHADI, MUHDAR"
)
BAN_F1 = Pool(
    "NORHAYATI, NORLAILA, MASRIAH, SALASIAH, HAMIDAH, SITI, NOR, JAMILAH, RAHMAH, FATIMAH, "
    "NORMALASARI, MASLIANI, HALIMAH, ASIAH, NORJANAH, MAULIDA, RUSMINI, SALMAH, SAPURAH"
)
BAT_M1 = Pool(
    "RUDI HARTONO, HOTMAN, PARULIAN, JONNER, MARIHOT, POLTAK, BINSAR, TOGAR, DARWIN, SAHAT, "
    "MARTUA, MARULI, LAMHOT, RINALDI, JHONSON, HENDRA, BONAR, TUMPAL, BERNAD, SABAR, HALOMOAN, "
    "JOHANNES, MANGIRING, DAPOT, GOMGOM, RONALD, ROBERT, LUHUT, JANSEN"
)
BAT_F1 = Pool(
    "ROSMAWATI, ROSMAULI, TIURMA, LASMA, RUGUN, DAMERIA, NURHAIDA, SONDANG, ROMAULI, ERNA, "
    "MASNIARI, LENNY, HERLINA, FRISKA, MEGAWATI, RIA, MARTA, DUMARIA, TIOMSI, LAMRIA, RONAULI, "
    "NURMAIDA, HOTMAIDA, MINTAULI"
)
BAT_FAM = Pool(
    "SIREGAR, SIMANJUNTAK, SITOMPUL, HUTAPEA, SIMATUPANG, PARDEDE, SINAGA, SIHOMBING, SITUMORANG, "
    "MANURUNG, PANJAITAN, TAMBUNAN, PASARIBU, HUTAGALUNG, SILALAHI, SITORUS, GULTOM, NAPITUPULU, "
    "SIANTURI, TAMPUBOLON, HUTABARAT, SIMAMORA, SIAHAAN, PANGGABEAN, SIBARANI, SIMBOLON, MARPAUNG, "
    "GINTING, TARIGAN, SEMBIRING, PURBA, SARAGIH, DAMANIK",
    s=0.6,
)
MAN_FAM = Pool(
    "NASUTION, LUBIS, HARAHAP, SIREGAR, DAULAY, HASIBUAN, BATUBARA, RANGKUTI, PULUNGAN, "
    "MATONDANG, PARINDURI, DALIMUNTHE, TANJUNG, RITONGA",
    s=0.6,
)
BALI_M = Pool(
    "SUDARSANA, SUARDANA, ARTAWAN, SUKADANA, MERTAYASA, WIRAWAN, ADNYANA, SUARJANA, BUDIARTA, "
    "SUDIARTA, DARMAWAN, SUTAMA, ARSANA, MUDITA, SUARTANA, PARWATA, SUARDIKA, KARIASA, WIDIANA, "
    "SUWENA, SUARTHA, SUKARMA, ASTAWA, YASA, ARDANA, SUDANA, MERTA, SUPARTA, GUNAWAN, ANTARA"
)
BALI_F = Pool(
    "SARIANI, SUARTINI, ARIANI, SUKERTI, WARTINI, SUMERTI, KARTINI, SUASTINI, ASTITI, PURNAMAWATI, "
    "YULIANI, WIDIASTUTI, ARTINI, SUDIARNI, SUKARMINI, SUWENI, MURNIASIH, SEKAR, SRI WAHYUNI, "
    "SUTARI, RAI, ADNYANI, LASMI, DARMI, SRIASIH, MANIK"
)
CHI_M = Pool(
    "HENDRA, BUDI, HENDRIK, ANDI, EDDY, KEVIN, STEVEN, RICKY, JOHAN, RUDY, FERRY, FELIX, "
    "SUGIANTO, ANTON, WILLIAM, TONNY, HARTANTO, AGUS, DAVID, ERWIN, JIMMY, SUWANDI, HERMAN, "
    "VINCENT, SUHENDRA"
)
CHI_F = Pool(
    "LINA, MELIANA, SUSANTI, LILY, JESSICA, VIVI, YENNY, MELINDA, FENNY, SISKA, LINDA, SHERLY, "
    "SHINTA, CINDY, GRACE, LIANA, MEILINA, WATI, ELIZABETH, SUSAN, HELEN, LIDYA, NOVI, MERRY"
)
CHI_FAM = Pool(
    "WIJAYA, GUNAWAN, SANTOSO, HALIM, SALIM, KUSUMA, TANJAYA, SETIAWAN, HARTONO, SUTANTO, WIDJAJA, "
    "TANUWIJAYA, LIMANTO, SUSANTO, TJANDRA, HALIMAN, CHANDRA, WINATA, SUGIARTO, LIE, TAN, "
    "KURNIAWAN, SALIMAN, HADINATA, LIMAN, SOETANTO",
    s=0.9,
)
HAKKA_FAM = Pool("BONG, TJHIN, LIE, LIM, TJHAI, THJIA, CHANG, NG, HUI, KHO, LO, WONG, FUNG")
HAKKA_SYL = Pool(
    "KIM, SUI, FA, FUNG, LAN, MOI, KHIUN, JUNG, SIN, NYUK, FAT, CHIN, LIONG, MIAU, HIN, THAI, "
    "SIAN, KIAUW, HON, KET, MEN, JAN, LI, CHONG, SAN",
    s=0.5,
)
HAKKA_SURNAMES = set(HAKKA_FAM.items)
XT_M = Pool(
    "YOHANES, AGUSTINUS, FRANSISKUS, YOSEF, PETRUS, PAULUS, MARKUS, YAKOBUS, STEFANUS, ANTONIUS, "
    "ALOYSIUS, BENEDIKTUS, KORNELIS, DANIEL, YULIUS, FRANS, MARTHEN, YOHANIS, ELIAS, NATALIS, "
    "MARTHINUS, YAKOB, OTNIEL, SIMON, ADRIANUS, HERMANUS, LUKAS, MIKAEL, ROBERTUS, KRISTOFORUS"
)
XT_F = Pool(
    "MARIA, YULIANA, AGUSTINA, THERESIA, MAGDALENA, FRANSISKA, ELISABETH, MARGARETHA, VERONIKA, "
    "YOSEFINA, ANASTASIA, KATARINA, MARTHA, ESTER, DEBORA, YOHANA, DORKAS, NAOMI, ROSINA, ELSINA, "
    "YAKOMINA, SELFINA, PAULINA, OKTOVINA, MARSELINA, FERONIKA"
)
MINA_M = Pool(
    "FERRY, JEFRI, STENLY, JOUTJE, HENDRIK, NOVRI, REINHARD, FRANGKY, JOHNY, RONNY, YOPPY, "
    "ARNOLD, MAXI, DEIBY, ROY, JEMMY, ALFRED, VICKY, BOBBY, FREDY"
)
MINA_F = Pool(
    "JEANE, FELLY, DEISY, NOVA, MEITY, VIVI, NOVITA, MARINI, SINTYA, YULIN, TRINI, SANDRA, NELLY, "
    "VANNY, GRIETJE, FANNY, JULIANA, LENY, DETTY"
)
FAM = {
    "ntt": Pool(
        "FERNANDEZ, DA SILVA, PARERA, LEWAR, KELEN, BATAONA, TEFA, NENOBAIS, BENU, NOPE, LADO, "
        "MANAFE, NDUN, TALAN, SERAN, BRIA, NAHAK, MANEK, KOLO, LAKE, DA COSTA, NGGEBU, RADJA, "
        "KEWA, SOGE, MAING, WEROK, MOAT",
        s=0.5,
    ),
    "papua": Pool(
        "WENDA, KOGOYA, WONDA, YIKWA, TABUNI, RUMBIAK, KAISIEPO, MOFU, WANGGAI, SANGGENAFA, OHEE, "
        "YOKU, MERAUJE, PUHILI, WALLY, MONIM, MABEL, MURIB, WENDA, ENUMBI, KAREMA, ASSO, SOROY",
        s=0.5,
    ),
    "marind": Pool(
        "GEBZE, MAHUZE, KAIZE, NDIKEN, BALAGAIZE, SAMKAKAI, BASIK-BASIK, DAMBUJAI, YOLMEN, "
        "KAMBU, MBANGGU",
        s=0.5,
    ),
    "maluku": Pool(
        "PATTIASINA, TUHUMURY, SAHETAPY, MATULESSY, PELUPESSY, SIAHAYA, LATUMAHINA, RINSAMPESSY, "
        "TITALEY, SOUMOKIL, LEIWAKABESSY, PATTISELANNO, NANLOHY, MAHULETTE, WATTIMENA, "
        "TUANAKOTTA, LATUPEIRISSA, SOPACUA",
        s=0.5,
    ),
    "minahasa": Pool(
        "LUMENTUT, RONDONUWU, SONDAKH, MANDAGI, WOWOR, PANGEMANAN, TUMBELAKA, RUMENGAN, "
        "SUMAMPOUW, LASUT, KALALO, MAMUAJA, RUNTUWENE, WALEWANGKO, SUMOLANG, POLII, RATULANGI, "
        "MOGI, TAMBUWUN, KAWENGIAN, MAINDOKA",
        s=0.5,
    ),
    "toraja": Pool(
        "TANDI, PALIMBONG, RANTE, SAMPE, PAEMBONAN, TANGDILINTIN, PARINDING, PATADUNGAN, "
        "TODING, PAKONDO, PASANG, SAMBARA, TANDILINO, ALLO",
        s=0.5,
    ),
}
COMMON_M = Pool(
    "MUHAMMAD RIZKI, SUTRISNO, SLAMET, MULYADI, AGUS SETIAWAN, MUHAMMAD ILHAM, BUDI SANTOSO, "
    "AHMAD FAUZI, MUHAMMAD FAUZAN, EKO PRASETYO, ABDUL RAHMAN, SUPRIYADI, RIZKY RAMADHAN, "
    "MUHAMMAD YUSUF, ASEP SAEPUDIN, JOKO SUSILO",
    s=0.7,
)
COMMON_F = Pool(
    "SITI AMINAH, SRI WAHYUNI, NURHAYATI, SITI FATIMAH, SRI RAHAYU, SUMARNI, SULASTRI, "
    "DEWI LESTARI, SITI KHODIJAH, PUTRI AYU, NUR AINI, SUMIYATI, SITI AISYAH, SRI MULYANI",
    s=0.7,
)
TWIN_NAMES = [
    # (name for the first twin, name for the second twin, sex of first, sex of second)
    ("HASAN", "HUSAIN", 1, 1),
    ("HASAN BASRI", "HUSAIN BASRI", 1, 1),
    ("RIZKY RAMADHAN", "RIZKA RAMADHANI", 1, 2),
    ("PUTRA", "PUTRI", 1, 2),
    ("DIMAS", "DINDA", 1, 2),
    ("NUR AINI", "NUR AINUN", 2, 2),
    ("FAJAR", "FITRI", 1, 2),
    ("AHMAD FAUZI", "AHMAD FAUZAN", 1, 1),
    ("SITI NURHALIZA", "SITI NURHALIMAH", 2, 2),
    ("ANDIKA PRATAMA", "ANDINI PRATIWI", 1, 2),
]
MUSLIM_GROUPS = {
    "javanese",
    "sundanese",
    "islamic",
    "aceh",
    "banjar",
    "bugis",
    "madura",
    "minang",
    "sasak",
    "mandailing",
}


class Group:
    """How one naming tradition builds names."""

    def __init__(self, **kw) -> None:
        self.style = kw.get("style", "onetwo")
        self.m1 = kw.get("m1")
        self.mf = kw.get("mf", kw.get("m1"))
        self.ms = kw.get("ms")
        self.f1 = kw.get("f1")
        self.ff = kw.get("ff", kw.get("f1"))
        self.fs = kw.get("fs")
        self.p_one_m = kw.get("p_one_m", 0.5)
        self.p_one_f = kw.get("p_one_f", 0.5)
        self.modern = kw.get("modern", 0.0)
        self.prefix = kw.get("prefix")  # (male, female, probability)
        self.fam = kw.get("fam")
        self.boru = kw.get("boru", False)
        self.hakka = kw.get("hakka", False)


GROUPS = {
    "javanese": Group(
        m1=JAV_M1,
        mf=JAV_MF,
        ms=JAV_MS,
        f1=JAV_F1,
        ff=JAV_FF,
        fs=JAV_FS,
        p_one_m=0.55,
        p_one_f=0.45,
        modern=0.5,
    ),
    "sundanese": Group(
        m1=SUN_M1,
        ms=SUN_MS,
        f1=SUN_F1,
        fs=SUN_FS,
        p_one_m=0.3,
        p_one_f=0.35,
        modern=0.45,
    ),
    "islamic": Group(
        m1=ISL_M1, ms=ISL_MS, f1=ISL_F1, fs=ISL_FS, p_one_m=0.4, p_one_f=0.5, modern=0.5
    ),
    "aceh": Group(
        m1=ACE_M1,
        ms=ISL_MS,
        f1=ACE_F1,
        fs=ISL_FS,
        p_one_m=0.5,
        p_one_f=0.5,
        modern=0.45,
        prefix=("TEUKU", "CUT", 0.07),
    ),
    "banjar": Group(
        m1=BAN_M1,
        ms=ISL_MS,
        f1=BAN_F1,
        fs=ISL_FS,
        p_one_m=0.5,
        p_one_f=0.55,
        modern=0.45,
        prefix=("GUSTI", "GUSTI", 0.03),
    ),
    "bugis": Group(
        m1=BUG_M1,
        ms=BUG_MS,
        f1=BUG_F1,
        fs=BUG_FS,
        p_one_m=0.45,
        p_one_f=0.5,
        modern=0.4,
        prefix=("ANDI", "ANDI", 0.15),
    ),
    "madura": Group(
        m1=MAD_M1, ms=MAD_MS, f1=MAD_F1, fs=ISL_FS, p_one_m=0.5, p_one_f=0.6, modern=0.35
    ),
    "minang": Group(
        m1=MIN_M1, ms=ISL_MS, f1=MIN_F1, fs=ISL_FS, p_one_m=0.75, p_one_f=0.8, modern=0.4
    ),
    "sasak": Group(
        m1=SAS_M1,
        ms=ISL_MS,
        f1=SAS_F1,
        fs=ISL_FS,
        p_one_m=0.55,
        p_one_f=0.6,
        modern=0.4,
        prefix=("LALU", "BAIQ", 0.12),
    ),
    "mandailing": Group(
        m1=ISL_M1,
        ms=ISL_MS,
        f1=ISL_F1,
        fs=ISL_FS,
        p_one_m=0.4,
        p_one_f=0.5,
        modern=0.4,
        fam=MAN_FAM,
    ),
    "batak": Group(
        m1=BAT_M1,
        mf=XT_M,
        ms=BAT_M1,
        f1=BAT_F1,
        ff=XT_F,
        fs=BAT_F1,
        p_one_m=0.7,
        p_one_f=0.75,
        fam=BAT_FAM,
        boru=True,
    ),
    "balinese": Group(style="bali", m1=BALI_M, f1=BALI_F),
    "chinese": Group(m1=CHI_M, ms=CHI_M, f1=CHI_F, fs=CHI_F, p_one_m=0.9, p_one_f=0.9, fam=CHI_FAM),
    "chinese_kalbar": Group(
        m1=CHI_M, ms=CHI_M, f1=CHI_F, fs=CHI_F, p_one_m=0.9, p_one_f=0.9, fam=CHI_FAM, hakka=True
    ),
    "ntt": Group(m1=XT_M, ms=XT_M, f1=XT_F, fs=XT_F, p_one_m=0.6, p_one_f=0.6, fam=FAM["ntt"]),
    "papua": Group(
        m1=XT_M, ms=XT_M, f1=XT_F, fs=XT_F, p_one_m=0.75, p_one_f=0.75, fam=FAM["papua"]
    ),
    "marind": Group(
        m1=XT_M, ms=XT_M, f1=XT_F, fs=XT_F, p_one_m=0.75, p_one_f=0.75, fam=FAM["marind"]
    ),
    "maluku": Group(
        m1=XT_M, ms=XT_M, f1=XT_F, fs=XT_F, p_one_m=0.7, p_one_f=0.7, fam=FAM["maluku"]
    ),
    "minahasa": Group(
        m1=MINA_M,
        mf=XT_M,
        ms=MINA_M,
        f1=MINA_F,
        ff=XT_F,
        fs=MINA_F,
        p_one_m=0.6,
        p_one_f=0.6,
        fam=FAM["minahasa"],
    ),
    "toraja": Group(
        m1=XT_M, ms=XT_M, f1=XT_F, fs=XT_F, p_one_m=0.6, p_one_f=0.6, fam=FAM["toraja"]
    ),
}

BALI_ORDER = [
    ["WAYAN", "PUTU", "GEDE"],
    ["MADE", "KADEK", "NENGAH"],
    ["NYOMAN", "KOMANG"],
    ["KETUT"],
]


def _given(grp: Group, sex: int, by: int, rng: random.Random) -> str:
    if grp.modern and by >= 1992 and rng.random() < grp.modern:
        if sex == 1:
            first = MODERN_M1.pick(rng)
            second = DEP["MUHAMMAD"].pick(rng) if first == "MUHAMMAD" else MODERN_MS.pick(rng)
            return first + " " + second if rng.random() < 0.85 else first
        first = MODERN_F1.pick(rng)
        second = DEP[first].pick(rng) if first in DEP else MODERN_FS.pick(rng)
        return first + " " + second if rng.random() < 0.85 else first
    if rng.random() < (grp.p_one_m if sex == 1 else grp.p_one_f):
        name = (grp.m1 if sex == 1 else grp.f1).pick(rng)
        if name in NEEDS_SECOND:
            name = name + " " + DEP[NEEDS_SECOND[name]].pick(rng)
        return name
    if sex == 1:
        first = grp.mf.pick(rng)
        pool = DEP[NEEDS_SECOND[first]] if first in NEEDS_SECOND else grp.ms
        second = pool.pick(rng)
        return first if second == first else first + " " + second
    first = grp.ff.pick(rng)
    pool = DEP[NEEDS_SECOND[first]] if first in NEEDS_SECOND else grp.fs
    second = pool.pick(rng)
    return first if second == first else first + " " + second


def _make_name(
    grp: Group, sex: int, by: int, rng: random.Random, fam: str, order: int, caste: int
) -> str:
    if grp.style == "bali":
        if caste == 1:
            head = "IDA BAGUS" if sex == 1 else "IDA AYU"
        elif caste == 2:
            head = "I GUSTI NGURAH" if sex == 1 else "I GUSTI AYU"
        else:
            opts = BALI_ORDER[(order - 1) % 4]
            tok = opts[0] if len(opts) == 1 or rng.random() < 0.55 else rng.choice(opts[1:])
            if sex == 2 and tok == "GEDE":
                tok = "PUTU"
            head = ("I " if sex == 1 else "NI ") + tok
            if sex == 2 and rng.random() < 0.12:
                head = "NI LUH " + tok if tok in ("PUTU", "MADE", "KADEK") else head
        pool = grp.m1 if sex == 1 else grp.f1
        given = pool.pick(rng)
        if rng.random() < 0.25:
            extra = pool.pick(rng)
            if extra != given:
                given = given + " " + extra
        return head + " " + given
    if fam in HAKKA_SURNAMES:
        a = HAKKA_SYL.pick(rng)
        b = HAKKA_SYL.pick(rng)
        return f"{fam} {a} {b}"
    given = _given(grp, sex, by, rng)
    if grp.prefix and rng.random() < grp.prefix[2]:
        given = (grp.prefix[0] if sex == 1 else grp.prefix[1]) + " " + given
    if fam:
        if sex == 2 and grp.boru and rng.random() < 0.45:
            return f"{given} {'BR' if rng.random() < 0.8 else 'BR.'} {fam}"
        return f"{given} {fam}"
    return given


def _pick_fam(grp: Group, rng: random.Random) -> str:
    if grp.fam is None:
        return ""
    if grp.hakka and rng.random() < 0.4:
        return HAKKA_FAM.pick(rng)
    return grp.fam.pick(rng)


# --------------------------------------------------------------------------------------------
# Regions: province code | province | regency code | regency | birthplace | weight | retired code
# of the regency (NIKs issued before a split); then "= naming mix | address units"; then one
# line per kecamatan: code name:village,village,...

REGION_SPEC = """
11|ACEH|1171|KOTA BANDA ACEH|BANDA ACEH|2|
    = aceh 90,islamic 5,javanese 3,chinese 2 | lorong,jalan
    01 MEURAXA:LAMPASEH ACEH,ULEE LHEUE,PUNGE JURONG,DEAH GLUMPANG
    02 BAITURRAHMAN:PEUNITI,ATEUK JAWO,SETUI,NEUSU ACEH
    03 KUTA ALAM:LAMPRIET,BANDAR BARU,PEUNAYONG,MULIA
11|ACEH|1106|KAB. ACEH BESAR|ACEH BESAR|2|
    = aceh 95,javanese 5 | dusun,lorong
    01 INGIN JAYA:LAMBARO,SIBREH,MEUNASAH BAKTRAM,LAMPUUK
    02 DARUSSALAM:TUNGKOP,LAMREH,SIEM
    03 KRUENG BARONA JAYA:LAMREUNG,MEUNASAH INTAN,LAMGAPANG
12|SUMATERA UTARA|1271|KOTA MEDAN|MEDAN|6|
    = batak 32,mandailing 10,javanese 22,islamic 13,chinese 15,minang 8 | jalan,gang,lingkungan
    01 MEDAN TUNTUNGAN:SIMPANG SELAYANG,KEMENANGAN TANI,LAUCIH
    02 MEDAN JOHOR:KWALA BEKALA,GEDUNG JOHOR,PANGKALAN MASYHUR
    03 MEDAN AMPLAS:HARJOSARI I,TIMBANG DELI,SITIREJO II
    04 MEDAN DENAI:TEGAL SARI MANDALA I,BINJAI,MEDAN TENGGARA
12|SUMATERA UTARA|1202|KAB. TAPANULI UTARA|TARUTUNG|2|
    = batak 96,mandailing 2,javanese 2 | dusun,jalan
    01 TARUTUNG:HUTATORUAN I,HUTABARAT,SIMORANGKIR JULU
    02 SIBORONGBORONG:PASAR SIBORONGBORONG,SITABOTABO,LOBU SIREGAR I
    03 SIPOHOLON:HUTA RAJA,PARDAMEAN NAULI,SITUMEANG HABINSARAN
12|SUMATERA UTARA|1207|KAB. DELI SERDANG|LUBUK PAKAM|5|
    = javanese 45,batak 22,mandailing 8,islamic 15,chinese 5,minang 5 | dusun,jalan
    01 LUBUK PAKAM:PAGAR MERBAU III,SEKIP,CEMARA
    02 PERCUT SEI TUAN:BANDAR SETIA,SAMPALI,TEMBUNG,SIDOMULYO
    03 TANJUNG MORAWA:TANJUNG MORAWA A,BANGUN SARI,DAGANG KERAWAN
12|SUMATERA UTARA|1204|KAB. TAPANULI SELATAN|SIPIROK|2|
    = mandailing 92,batak 5,javanese 3 | dusun,jalan
    01 SIPIROK:BAGAS LOMBANG,HUTASUHUT,SIPIROK GODANG
    02 ANGKOLA BARAT:SITINJAK,LOBU LAYAN SIGALANGAN
13|SUMATERA BARAT|1371|KOTA PADANG|PADANG|3|
    = minang 92,javanese 3,batak 3,chinese 2 | jalan,komplek
    01 KOTO TANGAH:LUBUK BUAYA,DADOK TUNGGUL HITAM,BATANG KABUNG GANTING
    02 KURANJI:KURANJI,KALUMBUK,ANDURING
    03 PADANG UTARA:AIR TAWAR BARAT,ULAK KARANG SELATAN,GUNUNG PANGILUN
13|SUMATERA BARAT|1306|KAB. AGAM|LUBUK BASUNG|2|
    = minang 98,javanese 2 | jorong
    01 LUBUK BASUNG:LUBUK BASUNG,GARAGAHAN,MANGGOPOH
    02 TILATANG KAMANG:KOTO TANGAH,GADUT,KAPAU
    03 BASO:SIMARASOK,BANSA,TABEK PANJANG
16|SUMATERA SELATAN|1671|KOTA PALEMBANG|PALEMBANG|4|
    = islamic 68,javanese 15,chinese 8,minang 4,sundanese 5 | lorong,jalan
    01 ILIR BARAT I:BUKIT LAMA,LOROK PAKJO,DEMANG LEBAR DAUN
    02 SEBERANG ULU I:15 ULU,7 ULU,TUAN KENTANG
    03 SUKARAMI:SUKARAMI,SUKAJAYA,TALANG KELAPA
16|SUMATERA SELATAN|1607|KAB. BANYUASIN|PANGKALAN BALAI|2|
    = islamic 60,javanese 35,sundanese 5 | dusun
    01 BETUNG:BETUNG,RIMBA ASAM,SUKAMAJU
    02 TALANG KELAPA:SUKAJADI,SUKAMORO,KENTEN LAUT
18|LAMPUNG|1802|KAB. LAMPUNG TENGAH|GUNUNG SUGIH|4|
    = javanese 60,islamic 15,sundanese 12,balinese 8,chinese 5 | dusun
    01 GUNUNG SUGIH:GUNUNG SUGIH RAYA,KOMERING AGUNG,BUYUT ILIR
    02 TERBANGGI BESAR:YUKUM JAYA,PONCOWATI,BANDAR JAYA BARAT
    03 SEPUTIH BANYAK:SWASTIKA BUANA,SIDODADI,SUMBER BARU
18|LAMPUNG|1871|KOTA BANDAR LAMPUNG|BANDAR LAMPUNG|3|
    = javanese 45,islamic 25,sundanese 15,chinese 10,minang 5 | jalan,gang
    01 KEDATON:SIDODADI,SURABAYA,KEDATON
    02 RAJABASA:RAJABASA,GEDONG MENENG,RAJABASA RAYA
    03 TANJUNG KARANG PUSAT:PALAPA,DURIAN PAYUNG,GOTONG ROYONG
21|KEPULAUAN RIAU|2171|KOTA BATAM|BATAM|3|
    = javanese 30,batak 22,minang 15,islamic 15,chinese 10,ntt 5,bugis 3 | perum,jalan
    01 BATAM KOTA:BELIAN,TELUK TERING,BALOI PERMAI
    02 SAGULUNG:SUNGAI LANGKAI,TEMBESI,SUNGAI PELUNGGUT
    03 BATU AJI:BUKIT TEMPAYAN,KIBING,TANJUNG UNCANG
31|DKI JAKARTA|3173|KOTA ADM. JAKARTA BARAT|JAKARTA|8|
    = javanese 35,sundanese 15,islamic 25,chinese 12,batak 5,minang 5,bugis 3 | jalan,gang
    01 CENGKARENG:CENGKARENG TIMUR,KAPUK,DURI KOSAMBI,RAWA BUAYA
    02 KALIDERES:KALIDERES,SEMANAN,TEGAL ALUR
    03 TAMBORA:TAMBORA,JEMBATAN LIMA,ANGKE
31|DKI JAKARTA|3175|KOTA ADM. JAKARTA UTARA|JAKARTA|6|
    = javanese 35,sundanese 12,islamic 25,chinese 10,batak 8,bugis 5,minahasa 5 | jalan,gang
    01 CILINCING:KALIBARU,CILINCING,SEMPER BARAT
    02 KOJA:KOJA,TUGU UTARA,LAGOA
    03 PENJARINGAN:PENJARINGAN,PLUIT,PEJAGALAN
31|DKI JAKARTA|3172|KOTA ADM. JAKARTA TIMUR|JAKARTA|8|
    = javanese 40,sundanese 15,islamic 25,batak 8,chinese 5,minang 7 | jalan,gang
    01 CAKUNG:CAKUNG BARAT,PULOGEBANG,UJUNG MENTENG
    02 DUREN SAWIT:PONDOK KOPI,KLENDER,MALAKA SARI
    03 KRAMAT JATI:CAWANG,DUKUH,KAMPUNG TENGAH
32|JAWA BARAT|3273|KOTA BANDUNG|BANDUNG|6|
    = sundanese 78,javanese 10,islamic 5,chinese 5,batak 2 | jalan,gang,komplek
    01 COBLONG:DAGO,LEBAKGEDE,SEKELOA,CIPAGANTI
    02 SUKASARI:GEGERKALONG,ISOLA,SARIJADI
    03 CIBEUNYING KIDUL:SUKAMAJU,PADASUKA,CICADAS
32|JAWA BARAT|3204|KAB. BANDUNG|BANDUNG|9|
    = sundanese 93,javanese 5,islamic 2 | kampung,perum
    01 BALEENDAH:BALEENDAH,ANDIR,MANGGAHANG,JELEKONG
    02 DAYEUHKOLOT:CITEUREUP,DAYEUHKOLOT,PASAWAHAN
    03 CILEUNYI:CILEUNYI WETAN,CIBIRU HILIR,CIMEKAR
    04 MAJALAYA:MAJALAYA,SUKAMUKTI,PADAMULYA
32|JAWA BARAT|3201|KAB. BOGOR|BOGOR|10|
    = sundanese 80,javanese 10,islamic 8,chinese 2 | kampung,perum
    01 CIBINONG:PAKANSARI,CIRIMEKAR,SUKAHATI
    02 CITEUREUP:PUSPANEGARA,KARANG ASEM BARAT,TAJUR
    03 CIAWI:BENDUNGAN,BANJARSARI,BITUNGSARI
    04 LEUWILIANG:LEUWILIANG,KAREHKEL,PURASARI
32|JAWA BARAT|3205|KAB. GARUT|GARUT|6|
    = sundanese 98,javanese 2 | kampung
    01 TAROGONG KIDUL:SUKAGALIH,JAYAWARAS,HAURPANGGUNG
    02 CIBATU:CIBATU,KERTAJAYA,SUKALILAH
    03 LELES:LELES,SUKARAME,DANO
32|JAWA BARAT|3212|KAB. INDRAMAYU|INDRAMAYU|4|
    = javanese 80,sundanese 20 | dusun,blok
    01 JATIBARANG:JATIBARANG,BULAK,PILANGSARI
    02 LOSARANG:LOSARANG,SANTING,PANGKALAN
33|JAWA TENGAH|3374|KOTA SEMARANG|SEMARANG|5|
    = javanese 88,chinese 8,islamic 4 | jalan,gang,perum
    01 TEMBALANG:TEMBALANG,BULUSAN,METESEH,ROWOSARI
    02 PEDURUNGAN:PEDURUNGAN KIDUL,PALEBON,TLOGOSARI KULON
    03 SEMARANG UTARA:BANDARHARJO,KUNINGAN,TANJUNG MAS
33|JAWA TENGAH|3372|KOTA SURAKARTA|SURAKARTA|3|
    = javanese 92,chinese 6,islamic 2 | jalan,gang,kampung_jw
    01 LAWEYAN:LAWEYAN,SONDAKAN,PAJANG
    02 BANJARSARI:MANAHAN,GILINGAN,NUSUKAN,KADIPIRO
    03 JEBRES:JEBRES,MOJOSONGO,PUCANGSAWIT
33|JAWA TENGAH|3310|KAB. KLATEN|KLATEN|6|
    = javanese 99,chinese 1 | dukuh,dusun
    01 KLATEN TENGAH:KABUPATEN,BARENGAN,BUNTALAN
    02 CEPER:CEPER,KUJON,MLESE
    03 PRAMBANAN:TLOGO,KEBONDALEM KIDUL,SANGGRAHAN
    04 DELANGGU:DELANGGU,SIDOMULYO,GATAK
33|JAWA TENGAH|3302|KAB. BANYUMAS|BANYUMAS|6|
    = javanese 99,sundanese 1 | dusun,jalan
    01 SOKARAJA:SOKARAJA KULON,SOKARAJA TENGAH,KARANGKEDAWUNG
    02 AJIBARANG:AJIBARANG WETAN,PANCASAN,DARMAKRADENAN
    03 PATIKRAJA:PATIKRAJA,NOTOG,SIDABOWA
33|JAWA TENGAH|3318|KAB. PATI|PATI|5|
    = javanese 99,chinese 1 | dukuh,dusun
    01 PATI:PATI LOR,KALIDONI,WINONG
    02 JUWANA:BAJOMULYO,KUDUKERAS,BENDAR
    03 TAYU:TAYU WETAN,PONDOWAN,SAMBIROTO
34|DI YOGYAKARTA|3404|KAB. SLEMAN|SLEMAN|5|
    = javanese 97,chinese 2,batak 1 | padukuhan,perum
    01 DEPOK:CATURTUNGGAL,CONDONGCATUR,MAGUWOHARJO
    02 MLATI:SINDUADI,SENDANGADI,SUMBERADI
    03 GAMPING:AMBARKETAWANG,BANYURADEN,NOGOTIRTO
    04 NGAGLIK:SARIHARJO,SINDUHARJO,MINOMARTANI
34|DI YOGYAKARTA|3402|KAB. BANTUL|BANTUL|4|
    = javanese 99,chinese 1 | padukuhan
    01 BANTUL:PALBAPANG,RINGINHARJO,TRIRENGGO
    02 SEWON:PANGGUNGHARJO,BANGUNHARJO,TIMBULHARJO
    03 KASIHAN:TAMANTIRTO,BANGUNJIWO,NGESTIHARJO
35|JAWA TIMUR|3578|KOTA SURABAYA|SURABAYA|7|
    = javanese 72,madura 15,chinese 8,islamic 5 | jalan,gang
    01 WONOCOLO:JEMUR WONOSARI,SIWALANKERTO,MARGOREJO,SIDOSERMO
    02 TAMBAKSARI:PLOSO,TAMBAKSARI,RANGKAH,GADING
    03 RUNGKUT:KALIRUNGKUT,RUNGKUT KIDUL,MEDOKAN AYU
    04 SEMAMPIR:AMPEL,PEGIRIAN,SIDOTOPO
35|JAWA TIMUR|3507|KAB. MALANG|MALANG|8|
    = javanese 90,madura 10 | dusun,jalan
    01 KEPANJEN:PENARUKAN,CEPOKOMULYO,SUKORAHARJO
    02 SINGOSARI:ARDIMULYO,PAGENTAN,LOSARI,TOYOMARTO
    03 TUMPANG:TUMPANG,MALANGSUKO,JERU
    04 TUREN:TUREN,SANANKERTO,SEDAYU
35|JAWA TIMUR|3509|KAB. JEMBER|JEMBER|7|
    = javanese 50,madura 50 | dusun,jalan
    01 KALIWATES:KALIWATES,MANGLI,SEMPUSARI
    02 SUMBERSARI:SUMBERSARI,KEBONSARI,ANTIROGO
    03 AMBULU:AMBULU,ANDONGSARI,SABRANG,TEGALSARI
35|JAWA TIMUR|3526|KAB. BANGKALAN|BANGKALAN|3|
    = madura 98,javanese 2 | dusun
    01 BANGKALAN:KRAMAT,MLAJAH,PEJAGAN
    02 KAMAL:KAMAL,GILI ANYAR,TELANG
36|BANTEN|3603|KAB. TANGERANG|TANGERANG|7|
    = sundanese 35,javanese 35,islamic 15,chinese 10,batak 5 | perum,kampung
    01 CIKUPA:CIKUPA,BITUNG JAYA,TALAGA,SUKAMULYA
    02 PASAR KEMIS:SUKAASIH,KUTA BARU,PANGADEGAN
    03 CURUG:CURUG WETAN,BINONG,KADU
36|BANTEN|3601|KAB. PANDEGLANG|PANDEGLANG|4|
    = sundanese 95,islamic 5 | kampung
    01 PANDEGLANG:KABAYAN,PANDEGLANG,KADOMAS
    02 LABUAN:LABUAN,CARINGIN,TERATAI
    03 MENES:MENES,KADUPAYUNG,CILABANBULAN
51|BALI|5171|KOTA DENPASAR|DENPASAR|3|
    = balinese 75,javanese 15,islamic 4,chinese 3,ntt 3 | banjar,jalan
    01 DENPASAR SELATAN:SANUR,SESETAN,PEDUNGAN,PANJER
    02 DENPASAR BARAT:PADANGSAMBIAN,PEMECUTAN,DAUH PURI
    03 DENPASAR UTARA:PEGUYANGAN,UBUNG,DANGIN PURI KAJA
51|BALI|5103|KAB. BADUNG|MANGUPURA|3|
    = balinese 85,javanese 10,ntt 5 | banjar,jalan
    01 KUTA:KUTA,LEGIAN,SEMINYAK,TUBAN
    02 MENGWI:MENGWI,KAPAL,ABIANBASE,SEMPIDI
    03 ABIANSEMAL:ABIANSEMAL,BLAHKIUH,DARMASABA
51|BALI|5104|KAB. GIANYAR|GIANYAR|3|
    = balinese 98,javanese 2 | banjar
    01 UBUD:UBUD,PELIATAN,PETULU,MAS
    02 SUKAWATI:SUKAWATI,BATUBULAN,CELUK,GUWANG
    03 BLAHBATUH:BLAHBATUH,BONA,BURUAN
52|NUSA TENGGARA BARAT|5201|KAB. LOMBOK BARAT|LOMBOK BARAT|4|
    = sasak 90,balinese 8,javanese 2 | dusun
    01 GERUNG:GERUNG UTARA,BANYU URIP,DASAN GERES
    02 NARMADA:NARMADA,LEMBUAK,SEMBUNG
    03 LINGSAR:LINGSAR,DUMAN,BATU KUMBUNG
52|NUSA TENGGARA BARAT|5271|KOTA MATARAM|MATARAM|2|
    = sasak 65,balinese 25,islamic 5,chinese 5 | lingkungan,jalan
    01 AMPENAN:AMPENAN SELATAN,DAYAN PEKEN,BANJAR
    02 CAKRANEGARA:CAKRANEGARA BARAT,SAYANG-SAYANG,CILINAYA
    03 SEKARBELA:KEKALIK JAYA,KARANG PULE,TANJUNG KARANG
52|NUSA TENGGARA BARAT|5203|KAB. LOMBOK TIMUR|SELONG|4|
    = sasak 99,balinese 1 | dusun
    01 SELONG:SELONG,PANCOR,KELAYU SELATAN
    02 MASBAGIK:MASBAGIK UTARA,DANGER,KUMBANG
53|NUSA TENGGARA TIMUR|5371|KOTA KUPANG|KUPANG|2|
    = ntt 85,islamic 8,javanese 4,chinese 3 | jalan,lingkungan
    01 OEBOBO:OEBOBO,FATULULI,OETETE,KAYU PUTIH
    02 KELAPA LIMA:KELAPA LIMA,OESAPA,LASIANA
    03 MAULAFA:MAULAFA,PENFUI,SIKUMANA
53|NUSA TENGGARA TIMUR|5310|KAB. SIKKA|MAUMERE|2|
    = ntt 95,bugis 5 | dusun
    01 ALOK:KOTA UNENG,MADAWAT,NANGALIMANG
    02 KEWAPANTE:KEWAPANTE,WAIOTI,GELITING
53|NUSA TENGGARA TIMUR|5302|KAB. TIMOR TENGAH SELATAN|SOE|2|
    = ntt 100 | dusun
    01 KOTA SOE:KARANG SIRI,TAUBNENO,NONOHONIS
    02 AMANUBAN TENGAH:NIKI-NIKI,NULE,OEBELO
61|KALIMANTAN BARAT|6171|KOTA PONTIANAK|PONTIANAK|3|
    = islamic 45,chinese_kalbar 30,javanese 12,madura 8,bugis 5 | gang,jalan,komplek
    01 PONTIANAK BARAT:SUNGAI BELIUNG,PAL LIMA,SUNGAI JAWI DALAM
    02 PONTIANAK KOTA:DARAT SEKIP,MARIANA,SUNGAI JAWI
    03 PONTIANAK UTARA:SIANTAN HULU,BATU LAYANG,SIANTAN TENGAH
61|KALIMANTAN BARAT|6172|KOTA SINGKAWANG|SINGKAWANG|2|
    = chinese_kalbar 55,islamic 35,madura 5,javanese 5 | jalan,gang
    01 SINGKAWANG BARAT:PASIRAN,MELAYU,KUALA
    02 SINGKAWANG TENGAH:ROBAN,SEKIP LAMA,BUKIT BATU
    03 SINGKAWANG SELATAN:SEDAU,PANGMILANG,SIJANGKUNG
63|KALIMANTAN SELATAN|6371|KOTA BANJARMASIN|BANJARMASIN|3|
    = banjar 85,javanese 10,chinese 5 | gang,komplek,jalan
    01 BANJARMASIN UTARA:SUNGAI JINGAH,ALALAK UTARA,SUNGAI MIAI
    02 BANJARMASIN SELATAN:KELAYAN SELATAN,PEKAUMAN,BASIRIH SELATAN
    03 BANJARMASIN TENGAH:TELUK DALAM,PASAR LAMA,MAWAR
63|KALIMANTAN SELATAN|6303|KAB. BANJAR|MARTAPURA|3|
    = banjar 92,javanese 8 | dusun,jalan
    01 MARTAPURA:JAWA,KERATON,TANJUNG REMA
    02 GAMBUT:GAMBUT,KAYU BAWANG,MALINTANG
    03 SUNGAI TABUK:SUNGAI TABUK KERAMAT,LOK BAINTAN,SUNGAI LULUT
64|KALIMANTAN TIMUR|6472|KOTA SAMARINDA|SAMARINDA|3|
    = banjar 35,javanese 30,bugis 20,islamic 5,ntt 5,chinese 5 | gang,jalan
    01 SAMARINDA ULU:AIR HITAM,DADI MULYA,TELUK LERONG ILIR
    02 SUNGAI KUNJANG:LOA BAKUNG,KARANG ASAM ULU,TELUK LERONG ULU
    03 SAMARINDA SEBERANG:SUNGAI KELEDANG,BAQA,MESJID
64|KALIMANTAN TIMUR|6471|KOTA BALIKPAPAN|BALIKPAPAN|2|
    = javanese 40,bugis 25,banjar 20,minahasa 5,batak 5,chinese 5 | perum,jalan
    01 BALIKPAPAN UTARA:BATU AMPAR,GRAHA INDAH,MUARA RAPAK
    02 BALIKPAPAN SELATAN:SEPINGGAN,DAMAI,GUNUNG BAHAGIA
71|SULAWESI UTARA|7171|KOTA MANADO|MANADO|2|
    = minahasa 80,islamic 10,chinese 5,javanese 5 | lingkungan,jalan
    01 WENANG:WENANG UTARA,TIKALA KUMARAKA,PINAESAAN
    02 MALALAYANG:MALALAYANG SATU,BAHU,KLEAK
    03 TIKALA:TAAS,PAAL IV,BANJER
71|SULAWESI UTARA|7102|KAB. MINAHASA|TONDANO|2|
    = minahasa 97,islamic 3 | jaga
    01 TONDANO BARAT:ROERINGAN,WAWALINTOUAN,TUUTU
    02 KAKAS:KAKAS,PASLATEN,TOULIMEMBET
    03 REMBOKEN:REMBOKEN,TIMU,PAREPEI
72|SULAWESI TENGAH|7271|KOTA PALU|PALU|2|
    = islamic 55,bugis 25,javanese 10,minahasa 5,chinese 5 | jalan,lorong
    01 PALU BARAT:BALAROA,UJUNA,KAMONJI
    02 PALU TIMUR:BESUSU BARAT,LASOANI,BESUSU TENGAH
    03 MANTIKULORE:TALISE,TONDO,LAYANA INDAH
73|SULAWESI SELATAN|7371|KOTA MAKASSAR|MAKASSAR|5|
    = bugis 85,islamic 3,chinese 5,toraja 5,javanese 2 | jalan,lorong,perum
    01 TAMALATE:MANGASA,BAROMBONG,JONGAYA,PARANG TAMBUNG
    02 PANAKKUKANG:KARUWISI,PAMPANG,TAMAMAUNG
    03 RAPPOCINI:GUNUNG SARI,BANTA-BANTAENG,KASSI-KASSI
    04 TALLO:LAKKANG,RAPPOKALLING,KALUKU BODOA
73|SULAWESI SELATAN|7308|KAB. BONE|WATAMPONE|4|
    = bugis 99,javanese 1 | dusun,lingkungan
    01 TANETE RIATTANG:WATAMPONE,MACEGE,BULU TEMPE
    02 PALAKKA:PALAKKA,PAKKASALO,MAKMUR
    03 DUA BOCCOE:UJUNG,SAILONG,TOCINNONG
73|SULAWESI SELATAN|7318|KAB. TANA TORAJA|MAKALE|1|
    = toraja 90,bugis 10 | dusun
    01 MAKALE:MAKALE,BUNTU BURAKE,LEMBANG TONGKO
    02 MENGKENDEK:PALIPU,BUNTU TANGTI,LEMBANG RANTE DANIK
74|SULAWESI TENGGARA|7471|KOTA KENDARI|KENDARI|2|
    = bugis 50,islamic 35,javanese 10,toraja 5 | jalan,lorong
    01 MANDONGA:MANDONGA,LABIBIA,WAWOMBALATA
    02 KAMBU:KAMBU,PADALEU,LALOLARA
    03 POASIA:ANDUONOHU,RAHANDOUNA,ANGGOEYA
81|MALUKU|8171|KOTA AMBON|AMBON|2|
    = maluku 55,islamic 30,bugis 10,javanese 5 | jalan,lorong
    01 SIRIMAU:BATU MERAH,WAIHAONG,URIMESSING
    02 NUSANIWE:BENTENG,AMAHUSU,KUDAMATI
    03 TELUK AMBON BAGUALA:PASSO,LATERI,WAIHERU
91|PAPUA|9171|KOTA JAYAPURA|JAYAPURA|2|
    = papua 45,bugis 20,javanese 20,maluku 5,ntt 5,minahasa 5 | jalan,kampung_pp
    01 ABEPURA:KOTA BARU,VIM,AWIYO,YOBE
    02 JAYAPURA UTARA:BAYANGKARA,MANDALA,TANJUNG RIA,GURABESI
    03 HERAM:HEDAM,WAENA,YABANSAI
91|PAPUA|9103|KAB. JAYAPURA|SENTANI|1|
    = papua 70,javanese 15,bugis 10,ntt 5 | kampung_pp,jalan
    01 SENTANI:HINEKOMBE,DOBONSOLO,SENTANI KOTA
    02 WAIBU:DOYO LAMA,BAMBAR,SABRON SARI
93|PAPUA SELATAN|9301|KAB. MERAUKE|MERAUKE|1|9101
    = marind 35,javanese 45,bugis 10,ntt 5,maluku 5 | jalan,kampung_pp
    01 MERAUKE:SAMKAI,KELAPA LIMA,MAROKA,BAMBU PEMALI
    02 TANAH MIRING:TANAH MIRING,YASA MULYA,HARAPAN MAKMUR
    03 SEMANGGA:SEMANGGA JAYA,MARGA MULYA,MULYA JAYA
"""

PROV_VARIANT = {
    "DKI JAKARTA": ["D.K.I. JAKARTA", "DKI", "JAKARTA"],
    "DI YOGYAKARTA": ["D.I. YOGYAKARTA", "DAERAH ISTIMEWA YOGYAKARTA", "YOGYAKARTA"],
    "JAWA BARAT": ["JABAR", "PROV. JAWA BARAT"],
    "JAWA TENGAH": ["JATENG", "PROV. JAWA TENGAH"],
    "JAWA TIMUR": ["JATIM", "PROV. JAWA TIMUR"],
    "NUSA TENGGARA BARAT": ["NTB"],
    "NUSA TENGGARA TIMUR": ["NTT"],
    "SUMATERA UTARA": ["SUMUT", "SUMATRA UTARA"],
    "SUMATERA BARAT": ["SUMBAR", "SUMATRA BARAT"],
    "SUMATERA SELATAN": ["SUMSEL", "SUMATRA SELATAN"],
    "SULAWESI SELATAN": ["SULSEL"],
    "KALIMANTAN BARAT": ["KALBAR"],
    "KALIMANTAN SELATAN": ["KALSEL"],
    "KALIMANTAN TIMUR": ["KALTIM"],
    "ACEH": ["NANGGROE ACEH DARUSSALAM", "NAD"],
}


class Region:
    """One regency with its kecamatans and villages."""

    def __init__(self, head: str, lines: list[str]) -> None:
        f = head.split("|")
        self.prov, self.prov_name, self.code, self.name, self.bp = f[0], f[1], f[2], f[3], f[4]
        self.weight = float(f[5])
        self.old = f[6] or None
        mix_text, units = lines[0].strip().lstrip("= ").split(" | ")
        mix = [x.rsplit(" ", 1) for x in mix_text.split(",")]
        self.groups = [m[0] for m in mix]
        self.gcum = list(itertools.accumulate(float(m[1]) for m in mix))
        self.units = units.split(",")
        self.kecs = []
        for part in lines[1:]:
            kec, vils = part.strip().split(":")
            code, name = kec.split(" ", 1)
            self.kecs.append((code, name, vils.split(",")))
        self.is_kota = self.name.startswith("KOTA")


def _parse_regions(spec: str) -> list[Region]:
    out: list[tuple[str, list[str]]] = []
    for line in spec.strip("\n").splitlines():
        if line.startswith(" "):
            out[-1][1].append(line)
        else:
            out.append((line, []))
    return [Region(h, k) for h, k in out]


REGIONS = _parse_regions(REGION_SPEC)
REGION_CUM = list(itertools.accumulate(r.weight for r in REGIONS))
PROV_REGIONS: dict[str, list[int]] = {}
for _i, _r in enumerate(REGIONS):
    PROV_REGIONS.setdefault(_r.prov, []).append(_i)
MIGRATION_TARGETS = [i for i, r in enumerate(REGIONS) if r.is_kota or r.weight >= 6]


# --------------------------------------------------------------------------------------------
# Addresses

STREETS = Pool(
    "MERDEKA, SUDIRMAN, DIPONEGORO, GATOT SUBROTO, AHMAD YANI, PAHLAWAN, KARTINI, MELATI, MAWAR, "
    "ANGGREK, KENANGA, CEMPAKA, FLAMBOYAN, BERINGIN, IMAM BONJOL, HASANUDDIN, PATTIMURA, "
    "TEUKU UMAR, GAJAH MADA, PEMUDA, KEMUNING, PERINTIS KEMERDEKAAN, MANGGIS, RAMBUTAN, NANGKA, "
    "DURIAN, MANGGA, SALAK, SUKARNO HATTA, HOS COKROAMINOTO, DR. WAHIDIN, KH. AGUS SALIM, "
    "HAYAM WURUK, SILIWANGI, SISINGAMANGARAJA, NGURAH RAI, CUT NYAK DIEN, KAMBOJA, DAHLIA, "
    "SERUNI, TERATAI, PELITA, SEJAHTERA, KELAPA GADING, BUNGA RAMPAI, SWADAYA, BAHAGIA, MASJID",
    s=0.6,
)
PERUMS = Pool(
    "GRIYA ASRI, BUMI PERMAI, PURI INDAH, TAMAN SARI, GRAHA PERMAI, PERUMNAS, VILLA MUTIARA, "
    "CITRA INDAH, BTN BUMI ASRI, GRIYA HARAPAN, PONDOK INDAH, BUMI SERPONG, TAMAN ALAMANDA, "
    "KORPRI, GRIYA PRATAMA",
    s=0.5,
)
DUSUNS = Pool(
    "KRAJAN, KAUMAN, NGASEM, SUKAMAJU, SIDOMULYO, MEKAR JAYA, TANJUNG, PASAR, LOR, KIDUL, WETAN, "
    "KULON, SUMBERREJO, MULYOREJO, PUCUNG, KARANGANYAR, TEGALSARI, BANJARSARI, SUKAJADI, "
    "SIDOREJO, MARGOMULYO, TAMBAKREJO, BATU, TELAGA, BARU, MEKARSARI, SUKARAME",
    s=0.7,
)
KAMPUNGS = Pool(
    "CIBODAS, CIKONENG, SUKASARI, BABAKAN, PASIR KALIKI, BOJONG, CIGADUNG, CIHAUR, SUKAMANAH, "
    "CIMANGGU, CILEDUG, KADUHEJO, SUKAMAJU, PASIR JAYA, LEUWIGAJAH, CISALAK, SINDANGSARI",
    s=0.6,
)
BANJARS = Pool("KAJA, KELOD, TENGAH, DANGIN, DAUH, ANYAR, SARI, BIAS, TEGAL, PANTI, ANGGADA")
JORONGS = Pool("KOTO BARU, PADANG, BALAI, TANJUNG, LURAH, GURUN, SUNGAI JARIAH, KAMPUNG TANGAH")
LORONGS = Pool("MASJID, SETIA, AMAN, DAMAI, SEPAKAT, KELUARGA, MUSHOLA, SUKA DAMAI, BAHAGIA")
KAMPUNG_PP = Pool("HARAPAN, YOBE, SKYLINE, ASRI, KALI ACAI, DOK V, PERUMNAS III, TANAH HITAM")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

# unit kind -> list of abbreviation variants
ABBR = {
    "jalan": ["JL.", "JL", "JLN.", "JALAN"],
    "gang": ["GG.", "GG", "GANG"],
    "perum": ["PERUM", "PERUM.", "PERUMAHAN", "PRM"],
    "komplek": ["KOMP.", "KOMPLEK", "KOMPLEKS", "KOMP"],
    "dusun": ["DUSUN", "DSN.", "DSN", "DS."],
    "dukuh": ["DUKUH", "DK.", "DKH."],
    "padukuhan": ["PADUKUHAN", "PDK.", "DSN.", "PEDUKUHAN"],
    "kampung": ["KP.", "KAMPUNG", "KP", "KMP."],
    "kampung_jw": ["KAMPUNG", "KP.", "KMP"],
    "kampung_pp": ["KAMPUNG", "KP.", "KOMP."],
    "jorong": ["JORONG", "JR.", "JRG"],
    "banjar": ["BANJAR", "BR.", "BR", "BJR."],
    "lingkungan": ["LINGKUNGAN", "LINGK.", "LK.", "LINK."],
    "lorong": ["LORONG", "LR.", "LRG.", "LR"],
    "jaga": ["JAGA", "JG."],
    "blok": ["BLOK", "BLK.", "BLOK."],
}
NUMFMT = ["NO. {}", "NO {}", "NOMOR {}", "NO.{}", "{}"]
BLOCK_LETTERS = "ABCDEFGHJK"


def _rtrw_text(style: int, rt: int, rw: int) -> str:
    if style == 0:
        return ""
    return (
        f"RT {rt:02d} RW {rw:02d}",
        f"RT.{rt:03d}/RW.{rw:03d}",
        f"RT {rt}/{rw}",
        f"RT {rt:03d}/{rw:03d}",
        f"RT/RW {rt:03d}/{rw:03d}",
        f"RT {rt:02d}/RW {rw:02d}",
        f"RT.{rt:02d} RW.{rw:02d}",
        f"RT {rt:03d}/RW {rw:03d}",
        f"RT{rt:02d}/RW{rw:02d}",
        f"Rt {rt}/Rw {rw}",
        f"{rt:03d}/{rw:03d}",
    )[style - 1]


N_RTRW_STYLES = 12


def _new_address(reg: Region, rng: random.Random):
    """Canonical address: (kind, name, number, sub, rt, rw)."""
    kind = rng.choice(reg.units)
    num = rng.randint(1, 150) if rng.random() < 0.6 else 0
    sub = ""
    if kind == "jalan":
        name = STREETS.pick(rng)
        if rng.random() < 0.25:
            sub = "GANG:" + STREETS.pick(rng) + ":" + str(rng.randint(1, 8))
    elif kind == "gang":
        name = STREETS.pick(rng)
        sub = str(rng.randint(1, 12)) if rng.random() < 0.6 else ""
    elif kind in ("perum", "komplek"):
        name = PERUMS.pick(rng)
        sub = rng.choice(BLOCK_LETTERS) + str(rng.randint(1, 20))
        num = rng.randint(1, 30)
    elif kind in ("dusun", "dukuh", "padukuhan", "kampung_jw"):
        name = DUSUNS.pick(rng)
        num = 0 if rng.random() < 0.8 else num
    elif kind == "kampung":
        name = KAMPUNGS.pick(rng)
        num = 0 if rng.random() < 0.85 else num
    elif kind == "kampung_pp":
        name = KAMPUNG_PP.pick(rng)
    elif kind == "banjar":
        name = BANJARS.pick(rng)
    elif kind == "jorong":
        name = JORONGS.pick(rng)
        num = 0
    elif kind == "lorong":
        name = LORONGS.pick(rng)
    elif kind == "lingkungan":
        name = str(rng.randint(1, 9))
    elif kind == "jaga":
        name = str(rng.randint(1, 12))
        num = 0
    else:  # blok (Indramayu-style village blocks)
        name = rng.choice(["KRAJAN", "PASAR", "LOR", "KIDUL", "WETAN", "KULON", "TENGAH"])
        num = 0
    return (kind, name, num, sub, rng.randint(1, 12), rng.randint(1, 9))


def _new_style(rng: random.Random) -> list:
    """Notation choices: abbr, rt/rw style in alamat, number format, rt column, roman, geo fmt."""
    rtst = rng.randint(0, N_RTRW_STYLES - 1) if rng.random() < 0.75 else 0
    rtcol = rng.choice((0, 0, 1, 2))
    if rtst and rng.random() < 0.12:
        rtcol = 3  # RT/RW only inside alamat
    return [
        rng.choice((0, 0, 0, 1, 2, 3)),
        rtst,
        rng.choice((0, 0, 1, 2, 3, 4)),
        rtcol,
        rng.random() < 0.5,  # Roman numerals for gang numbers and lingkungan
        rng.choice((0,) * 8 + (1, 2)),  # kabupaten notation
        rng.choice((0,) * 8 + (1, 1)),  # kecamatan notation
        rng.choice((0,) * 9 + (1,)),  # village notation
        rng.choice((0,) * 14 + (1,)),  # province notation
    ]


def _render_alamat(addr, st) -> str:
    kind, name, num, sub, rt, rw = addr
    abbr = ABBR[kind]
    a = abbr[st[0] % len(abbr)]
    roman = st[4]
    parts = []
    if kind == "jalan":
        parts.append(f"{a} {name}")
        if sub:
            _, gname, gno = sub.split(":")
            g = ABBR["gang"][st[0] % 3]
            n = int(gno)
            parts.append(f"{g} {gname} {ROMAN[n - 1] if roman else n}")
    elif kind == "gang":
        parts.append(f"{a} {name}")
        if sub:
            n = int(sub)
            parts.append(ROMAN[n - 1] if roman else str(n))
    elif kind in ("perum", "komplek"):
        parts.append(f"{a} {name}")
        b = ABBR["blok"][st[0] % 3]
        letter, bn = sub[0], sub[1:]
        parts.append((f"{b} {letter}-{bn}", f"{b} {letter}{bn}", f"{b} {letter} {bn}")[st[2] % 3])
    elif kind in ("lingkungan", "jaga"):
        n = int(name)
        parts.append(f"{a} {ROMAN[n - 1] if roman else n}")
    else:
        parts.append(f"{a} {name}")
    if num and kind not in ("perum", "komplek"):
        parts.append(NUMFMT[st[2]].format(num))
    rtrw = _rtrw_text(st[1], rt, rw)
    if rtrw:
        parts.append(rtrw)
    return " ".join(parts)


def _rt_col(n: int, st) -> str | None:
    return (str(n), f"{n:02d}", f"{n:03d}", None)[st[3]]


VIL_PREFIXES = (
    "SUKA",
    "MEKAR",
    "SIDO",
    "KARANG",
    "TANJUNG",
    "SUMBER",
    "BANJAR",
    "TEGAL",
    "KALI",
    "PASIR",
    "MARGO",
    "WONO",
    "CI",
    "BATU",
    "SUNGAI",
    "MULYO",
    "TAMAN",
)


def _spacing_variant(v: str) -> str:
    if " " in v:
        return v.replace(" ", "")
    if "-" in v:
        return v.replace("-", " ")
    for p in VIL_PREFIXES:
        if v.startswith(p) and len(v) > len(p) + 3:
            return p + " " + v[len(p) :]
    return v


def _render_geo(reg: Region, kec: int, vil: str, st, urban: bool):
    kname = reg.kecs[kec][1]
    kabf, kecf, vilf, provf = st[5], st[6], st[7], st[8]
    name = reg.name
    if kabf == 1:
        name = name.replace("KAB. ", "KABUPATEN ")
    elif kabf == 2:
        name = name.replace("KAB. ", "").replace("KOTA ADM. ", "").replace("KOTA ", "")
    elif kabf == 3:
        name = name.replace("KAB. ", "KAB ")
    kecn = ("DISTRIK " if reg.prov in ("91", "93") else "KEC. ") + kname if kecf == 1 else kname
    if vilf == 1:
        vil = ("KEL. " if urban else "DESA ") + vil
    elif vilf == 2:
        vil = _spacing_variant(vil)
    prov = reg.prov_name
    if provf and prov in PROV_VARIANT:
        prov = PROV_VARIANT[prov][(provf - 1) % len(PROV_VARIANT[prov])]
    return vil, kecn, name, prov


# --------------------------------------------------------------------------------------------
# Dates


def _days_in_month(y: int, m: int) -> int:
    if m == 2:
        return 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def _valid(y: int, m: int, d: int) -> bool:
    return 1900 <= y <= REF_YEAR and 1 <= m <= 12 and 1 <= d <= _days_in_month(y, m)


def _birth_date(by: int, rng: random.Random):
    if by < 1960:
        p = 0.35
    elif by < 1980:
        p = 0.18
    elif by < 1995:
        p = 0.07
    else:
        p = 0.02
    if rng.random() < p:
        r = rng.random()
        if r < 0.45:
            return (by, 7, 1)
        if r < 0.75:
            return (by, 12, 31)
        if r < 0.88:
            return (by, 1, 1)
        return (by, rng.randint(1, 12), 15)
    m = rng.randint(1, 12)
    return (by, m, rng.randint(1, _days_in_month(by, m)))


def _date_error(d, rng: random.Random):
    """A clerical birth-date error; returns (new date, variation name)."""
    y, m, day = d
    for _ in range(30):
        r = rng.random()
        if r < 0.25:
            if (m, day) != (1, 1):
                return (y, 1, 1), "date_jan1_default"
        elif r < 0.45:
            ny = y + rng.choice((-1, 1))
            if _valid(ny, m, min(day, _days_in_month(ny, m))):
                return (ny, m, min(day, _days_in_month(ny, m))), "date_year_off_by_one"
        elif r < 0.65:
            if day <= 12 and day != m:
                return (y, day, m), "date_day_month_swap"
        elif r < 0.9:
            s = list(f"{y:04d}{m:02d}{day:02d}")
            pos = rng.randint(2, 7)
            s[pos] = str(rng.choice([c for c in "0123456789" if c != s[pos]]))
            t = "".join(s)
            ny, nm, nd = int(t[:4]), int(t[4:6]), int(t[6:])
            if _valid(ny, nm, nd) and abs(ny - y) <= 10:
                return (ny, nm, nd), "date_digit_typo"
        else:
            ph = rng.choice(((7, 1), (12, 31)))
            if (m, day) != ph:
                return (y, ph[0], ph[1]), "date_placeholder"
    return (y, m, 1 if day != 1 else 2), "date_digit_typo"


def _fmt_date(d, rng: random.Random) -> str:
    y, m, day = d
    r = rng.random()
    if r < 0.88:
        return f"{y:04d}-{m:02d}-{day:02d}"
    if r < 0.95:
        return f"{day:02d}-{m:02d}-{y:04d}"
    return f"{day:02d}/{m:02d}/{y:04d}"


# --------------------------------------------------------------------------------------------
# Population


class Person:
    """One real person (an entity)."""

    __slots__ = (
        "busy",
        "by",
        "dob",
        "eid",
        "fam",
        "grp",
        "hh",
        "mark",
        "mother",
        "name",
        "nik",
        "nikdate",
        "nikreg",
        "pob",
        "rel",
        "row",
        "sex",
    )

    def __init__(self, eid: int, hh, sex: int, by: int, rel: int, grp: str) -> None:
        self.eid = eid
        self.hh = hh
        self.sex = sex
        self.by = by
        self.rel = rel
        self.grp = grp
        self.fam = ""
        self.name = ""
        self.dob = None
        self.nikdate = None
        self.nikreg = ""
        self.pob = ""
        self.nik = ""
        self.mother = None
        self.mark = ""
        self.busy = False
        self.row = -1


class Household:
    """One KK at one address."""

    __slots__ = ("addr", "hid", "kec", "kk", "kkdate", "members", "program", "reg", "style", "vil")

    def __init__(self, hid: int, reg: int, kec: int, vil: str, rng: random.Random) -> None:
        self.hid = hid
        self.reg = reg
        self.kec = kec
        self.vil = vil
        self.addr = _new_address(REGIONS[reg], rng)
        self.style = _new_style(rng)
        self.members: list[Person] = []
        self.kk = ""
        self.kkdate = None
        self.program = _program(rng)


def _program(rng: random.Random) -> str:
    out = []
    if rng.random() < 0.3:
        out.append("PKH")
    if rng.random() < 0.45:
        out.append("BPNT")
    if rng.random() < 0.7:
        out.append("PBI-JK")
    return ";".join(out)


SIZE_VALUES = [1, 2, 3, 4, 5, 6, 7, 8]
SIZE_CUM = list(itertools.accumulate([8, 15, 20, 24, 16, 9, 5, 3]))
ROLE_TEXT = {
    1: ["KEPALA KELUARGA", "KK", "KEPALA RUMAH TANGGA"],
    2: ["ISTRI", "SUAMI"],
    3: ["ANAK"],
    4: ["MENANTU"],
    5: ["CUCU"],
    6: ["ORANG TUA", "MERTUA"],
    7: ["PEMBANTU"],
    8: ["LAINNYA", "FAMILI LAIN"],
}
ROLE_CONFUSION = {1: [2, 8], 2: [8, 1], 3: [5, 8], 4: [3, 8], 5: [3], 6: [8], 7: [8], 8: [3, 6]}


INVENT = object()  # sentinel: invent a mother's name


class Builder:
    """Builds the population, then the copies."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people: list[Person] = []
        self.households: list[Household] = []
        self.pairs: list[tuple[str, Person, Person]] = []
        self.serial: dict[str, int] = {}
        self.kkserial: dict[str, int] = {}
        self.next_hid = 1

    # ---- people -------------------------------------------------------------------------
    def _person(self, hh: Household, sex: int, by: int, rel: int, grp: str) -> Person:
        p = Person(len(self.people) + 1, hh, sex, by, rel, grp)
        self.people.append(p)
        hh.members.append(p)
        return p

    def _finish(self, p: Person, fam: str, order: int = 1, caste: int = 0, mother=INVENT) -> None:
        rng = self.rng
        p.fam = fam
        taken = {m.name for m in p.hh.members if m is not p}
        for _ in range(10):  # parents do not give two children one name
            p.name = _make_name(GROUPS[p.grp], p.sex, p.by, rng, fam, order, caste)
            if p.name not in taken:
                break
        p.dob = _birth_date(p.by, rng)
        p.nikdate = p.dob
        if p.by < 1990 and rng.random() < 0.015:  # date corrected after the NIK was issued
            p.dob, _ = _date_error(p.dob, rng)
        p.mother = self._invented_mother(p.grp, p.by - 25) if mother is INVENT else mother

    def _invented_mother(self, grp_name: str, by: int) -> str | None:
        if self.rng.random() < 0.04:
            return None
        grp = GROUPS[grp_name]
        fam = _pick_fam(grp, self.rng) if grp.fam is not None else ""
        return _make_name(grp, 2, by, self.rng, fam, self.rng.randint(1, 4), 0)

    def _region_of_birth(self, p: Person, hh: Household) -> None:
        """NIK region (first registration) and birthplace."""
        rng = self.rng
        reg = REGIONS[hh.reg]
        here = reg.code + reg.kecs[hh.kec][0]
        age = REF_YEAR - p.by
        r = rng.random()
        mig = 0.04 if age < 17 else 0.16
        if r >= mig:
            p.nikreg = here
            p.pob = reg.bp if rng.random() < 0.9 else rng.choice(reg.kecs)[2][0]
        else:
            if rng.random() < 0.5:
                cands = PROV_REGIONS[reg.prov]
                oi = rng.choice(cands)
            else:
                oi = bisect.bisect_right(REGION_CUM, rng.random() * REGION_CUM[-1])
            o = REGIONS[oi]
            p.nikreg = o.code + rng.choice(o.kecs)[0]
            p.pob = o.bp
        if reg.old and p.nikreg.startswith(reg.code) and p.by < 2019:
            p.nikreg = reg.old + p.nikreg[4:]

    def household(self, reg_i: int, kec: int, vil: str, size: int) -> Household:
        """Build one household of about `size` members."""
        rng = self.rng
        reg = REGIONS[reg_i]
        hh = Household(self.next_hid, reg_i, kec, vil, rng)
        self.next_hid += 1
        self.households.append(hh)
        grp = _wpick(rng, reg.groups, reg.gcum)
        caste = 0
        if grp == "balinese":
            r = rng.random()
            caste = 1 if r < 0.04 else 2 if r < 0.08 else 0
        head_sex = 1 if rng.random() < 0.86 or size >= 4 else 2
        age = int(rng.triangular(20, 86, 42)) if head_sex == 1 else int(rng.triangular(24, 88, 55))
        head = self._person(hh, head_sex, REF_YEAR - age, 1, grp)
        head_fam = _pick_fam(GROUPS[grp], rng)
        self._finish(head, head_fam, rng.randint(1, 4), caste)
        wife = None
        husband = head if head_sex == 1 else None
        if size >= 2 and head_sex == 1 and rng.random() < 0.94:
            sby = min(head.by + rng.randint(-2, 10), REF_YEAR - 17)
            sgrp = grp if rng.random() < 0.88 else _wpick(rng, reg.groups, reg.gcum)
            wife = self._person(hh, 2, sby, 2, sgrp)
            self._finish(wife, _pick_fam(GROUPS[sgrp], rng), rng.randint(1, 4), caste)
        elif size >= 2 and head_sex == 2 and rng.random() < 0.2:
            husband = self._person(hh, 1, min(head.by - rng.randint(0, 8), REF_YEAR - 19), 2, grp)
            self._finish(husband, _pick_fam(GROUPS[grp], rng), rng.randint(1, 4), caste)
            wife = head
        elif head_sex == 2:
            wife = head
        slots = size - len(hh.members)
        if slots >= 1 and REF_YEAR - head.by < 62 and rng.random() < 0.10:
            pby = max(head.by - rng.randint(20, 35), REF_YEAR - 96)
            par = self._person(hh, rng.choice((1, 2, 2)), pby, 6, grp)
            self._finish(par, _pick_fam(GROUPS[grp], rng), rng.randint(1, 4), caste)
            slots -= 1
        if slots >= 1 and rng.random() < 0.01:
            pg = _wpick(rng, reg.groups, reg.gcum)
            pem = self._person(hh, rng.choice((1, 2, 2)), REF_YEAR - rng.randint(18, 55), 7, pg)
            self._finish(pem, _pick_fam(GROUPS[pg], rng), rng.randint(1, 4))
            slots -= 1
        if slots >= 1 and rng.random() < 0.03:
            og = grp
            oth = self._person(hh, rng.choice((1, 2)), REF_YEAR - rng.randint(5, 40), 8, og)
            self._finish(oth, _pick_fam(GROUPS[og], rng), rng.randint(1, 4), caste)
            slots -= 1
        if slots <= 0:
            return hh
        mother_by = wife.by if wife is not None else head.by + 3
        child_fam = (husband.fam if husband is not None else head.fam) or ""
        child_grp = husband.grp if husband is not None else head.grp
        married = slots >= 3 and REF_YEAR - mother_by >= 42 and rng.random() < 0.35
        by = mother_by + rng.randint(18, 27)
        if married:
            by = min(by, REF_YEAR - 21)
        prev = None
        order = 0
        kids: list[Person] = []
        mother_ref = wife if wife is not None else self._invented_mother(child_grp, mother_by)
        while slots > 0 and by <= REF_YEAR:
            if prev is not None and rng.random() < 0.025 and not prev.busy and slots >= 1:
                self._twin(hh, prev, child_grp, child_fam, order + 1, caste)
                kids.append(hh.members[-1])
                order += 1
                slots -= 1
                prev = None
                by += rng.randint(1, 4)
                continue
            order += 1
            k = self._person(hh, rng.choice((1, 2)), by, 3, child_grp)
            self._finish(k, child_fam, order, caste, mother_ref)
            kids.append(k)
            prev = k
            slots -= 1
            if married and order == 1 and slots >= 2:
                # the eldest child is married: spouse (menantu) and grandchildren
                msex = 2 if k.sex == 1 else 1
                mg = k.grp if rng.random() < 0.8 else _wpick(rng, reg.groups, reg.gcum)
                mby = k.by + (rng.randint(-1, 6) if msex == 2 else rng.randint(-6, 1))
                men = self._person(hh, msex, min(mby, REF_YEAR - 18), 4, mg)
                self._finish(men, _pick_fam(GROUPS[mg], rng), rng.randint(1, 4), caste)
                slots -= 1
                father, mom = (k, men) if k.sex == 1 else (men, k)
                cby = mom.by + rng.randint(19, 26)
                ncucu = min(slots, rng.randint(1, 3))
                for corder in range(1, ncucu + 1):
                    if cby > REF_YEAR:
                        break
                    c = self._person(hh, rng.choice((1, 2)), cby, 5, father.grp)
                    self._finish(c, father.fam, corder, caste, mom)
                    cby += rng.randint(1, 4)
                    slots -= 1
            by += rng.randint(1, 5)
        if husband is not None and husband is head and rng.random() < 0.045:
            sons = [k for k in kids if k.sex == 1 and not k.busy and k.rel == 3]
            if sons:
                son = sons[-1] if rng.random() < 0.5 else sons[0]
                son.name = head.name + (" JR" if rng.random() < 0.08 else "")
                son.mark = "father_son_same_name"
                son.busy = head.busy = True
                self.pairs.append(("father_son_same_name", son, head))
        return hh

    def _twin(self, hh, prev: Person, grp: str, fam: str, order: int, caste: int) -> None:
        rng = self.rng
        sex = prev.sex if rng.random() < 0.6 else 3 - prev.sex
        t = self._person(hh, sex, prev.by, 3, grp)
        self._finish(t, fam, order, caste, prev.mother)
        t.dob = prev.dob
        t.nikdate = prev.nikdate
        if rng.random() < 0.3 and GROUPS[grp].style != "bali":
            cands = [x for x in TWIN_NAMES if x[2] == prev.sex and x[3] == sex]
            if cands:
                a, b, _, _ = rng.choice(cands)
                tail = (" " + fam) if fam else ""
                prev.name = a + tail
                t.name = b + tail
        tries = 0
        while t.name == prev.name and tries < 10:
            t.name = _make_name(GROUPS[grp], sex, t.by, rng, fam, order, caste)
            tries += 1
        t.mark = "twin"
        t.busy = prev.busy = True
        self.pairs.append(("twin", t, prev))

    # ---- population ---------------------------------------------------------------------
    def population(self, target: int) -> None:
        """Households until `target` people exist (the last household is cut to fit)."""
        rng = self.rng
        while len(self.people) < target:
            ri = bisect.bisect_right(REGION_CUM, rng.random() * REGION_CUM[-1])
            reg = REGIONS[ri]
            kec = rng.randrange(len(reg.kecs))
            vil = rng.choice(reg.kecs[kec][2])
            size = _wpick(rng, SIZE_VALUES, SIZE_CUM)
            size = min(size, target - len(self.people))
            self.household(ri, kec, vil, size)
        # a household may overshoot when twins or grandchildren were added: trim the tail
        while len(self.people) > target:
            p = self.people.pop()
            p.hh.members.remove(p)
            if p.busy:
                self.pairs = [x for x in self.pairs if x[1] is not p and x[2] is not p]
        self.pairs = [x for x in self.pairs if x[1].eid <= target and x[2].eid <= target]

    def namesakes(self, n: int) -> None:
        """Rename pairs of people in different provinces to one common name and birth date."""
        rng = self.rng
        index: dict[tuple[int, int], list[Person]] = {}
        cands = []
        for p in self.people:
            if p.grp in MUSLIM_GROUPS and not p.busy and REF_YEAR - p.by >= 5:
                index.setdefault((p.sex, p.by), []).append(p)
                cands.append(p)
        if not cands:
            return
        made = 0
        attempts = 0
        while made < n and attempts < n * 20:
            attempts += 1
            a = rng.choice(cands)
            if a.busy:
                continue
            prov_a = REGIONS[a.hh.reg].prov
            b = None
            for _ in range(12):
                lst = index.get((a.sex, a.by + rng.randint(-2, 2)))
                if not lst:
                    continue
                c = rng.choice(lst)
                if not c.busy and c is not a and REGIONS[c.hh.reg].prov != prov_a:
                    b = c
                    break
            if b is None:
                continue
            name = (COMMON_M if a.sex == 1 else COMMON_F).pick(rng)
            a.name = b.name = name
            b.by = a.by
            b.dob = a.dob
            b.nikdate = a.nikdate
            b.mark = "namesake_same_birth_date"
            a.busy = b.busy = True
            self.pairs.append(("namesake_same_birth_date", b, a))
            made += 1

    # ---- identifiers --------------------------------------------------------------------
    def _serial(self, key: str, want: int = 0) -> int:
        last = self.serial.get(key, 0)
        if want > last:
            s = want
        else:
            s = last + 1
            if self.rng.random() < 0.3:
                s += self.rng.randint(1, 4)
        self.serial[key] = s
        return s

    def nik_for(self, reg6: str, sex: int, d, want: int = 0) -> str:
        """A fresh NIK for region code `reg6`, sex and date `d`."""
        y, m, day = d
        key = f"{reg6}{day + (40 if sex == 2 else 0):02d}{m:02d}{y % 100:02d}"
        return f"{key}{self._serial(key, want):04d}"

    def kk_for(self, reg6: str, date) -> str:
        """A fresh KK number issued in `reg6` on `date`."""
        y, m, d = date
        key = f"{reg6}{d:02d}{m:02d}{y % 100:02d}"
        s = (
            self.kkserial.get(key, 0)
            + 1
            + (self.rng.randint(0, 3) if self.rng.random() < 0.3 else 0)
        )
        self.kkserial[key] = s
        return f"{key}{s:04d}"

    def _kk_date(self, hh: Household, after=None):
        rng = self.rng
        head = hh.members[0]
        lo = max(2006, head.by + 17)
        if after is not None:
            lo = max(lo, after[0] + 1)
        y = rng.randint(min(lo, REF_YEAR), REF_YEAR)
        m = rng.randint(1, 12)
        return (y, m, rng.randint(1, _days_in_month(y, m)))

    def identifiers(self) -> None:
        """NIK per person, KK per household."""
        twin_of = {id(x[1]): x[2] for x in self.pairs if x[0] == "twin"}
        for hh in self.households:
            if not hh.members:
                continue
            for p in hh.members:
                self._region_of_birth(p, hh)
            # twins share the place of first registration
            for p in hh.members:
                if p.mark == "twin":
                    partner = twin_of[id(p)]
                    p.nikreg = partner.nikreg
                    p.pob = partner.pob
        for p in self.people:
            want = 0
            partner = twin_of.get(id(p))
            if partner is not None and partner.sex != p.sex and partner.nik:
                want = int(partner.nik[12:])
            p.nik = self.nik_for(p.nikreg, p.sex, p.nikdate, want)
        for hh in self.households:
            if not hh.members:
                continue
            reg = REGIONS[hh.reg]
            hh.kkdate = self._kk_date(hh)
            hh.kk = self.kk_for(reg.code + reg.kecs[hh.kec][0], hh.kkdate)

    def nik_ganda(self, n: int) -> None:
        """Members entered with the head's (or a parent's) NIK."""
        rng = self.rng
        hhs = [h for h in self.households if len(h.members) >= 2]
        made = 0
        attempts = 0
        while made < n and attempts < n * 20 and hhs:
            attempts += 1
            hh = rng.choice(hhs)
            cands = [p for p in hh.members[1:] if not p.busy and p.rel in (2, 3, 4, 5, 6)]
            if not cands:
                continue
            p = rng.choice(cands)
            src = hh.members[0]
            if rng.random() < 0.3:
                if p.rel == 3:
                    sp = [x for x in hh.members if x.rel == 2]
                    src = sp[0] if sp else src
                elif p.rel == 5:
                    par = [x for x in hh.members if x.rel in (3, 4) and x.by < p.by - 15]
                    src = par[0] if par else src
            if src is p or src.nik == p.nik or src.mark == "nik_ganda_household":
                continue
            p.nik = src.nik
            p.mark = "nik_ganda_household"
            p.busy = src.busy = True  # a lender keeps its NIK: it never borrows one later
            self.pairs.append(("nik_ganda_household", p, src))
            made += 1


# --------------------------------------------------------------------------------------------
# Records and their variations


def _mother_name(p: Person) -> str | None:
    m = p.mother
    if m is None:
        return None
    if isinstance(m, Person):
        return m.name
    return m


def _canon(p: Person, hh: Household | None = None) -> dict:
    hh = hh or p.hh
    return {
        "nik": p.nik,
        "kk": hh.kk,
        "name": p.name,
        "sex": p.sex,
        "pob": p.pob,
        "dob": p.dob,
        "rel": str(p.rel),
        "mother": _mother_name(p),
        "reg": hh.reg,
        "kec": hh.kec,
        "vil": hh.vil,
        "addr": hh.addr,
        "style": hh.style,
        "program": hh.program,
    }


def _titlecase(s: str) -> str:
    return " ".join(t[:1] + t[1:].lower() for t in s.split(" "))


def _render(rec: dict, rng: random.Random) -> list:
    reg = REGIONS[rec["reg"]]
    st = rec["style"]
    addr = rec["addr"]
    vil, kecn, kab, prov = _render_geo(reg, rec["kec"], rec["vil"], st, reg.is_kota)
    name = rec["name"]
    mother = rec["mother"]
    if rng.random() < 0.1:
        name = _titlecase(name)
        mother = _titlecase(mother) if mother else mother
    sex = rec["sex"]
    jk = ("L" if sex == 1 else "P") if rng.random() < 0.03 else str(sex)
    return [
        rec["nik"] or None,
        rec["kk"],
        name,
        jk,
        rec["pob"],
        _fmt_date(rec["dob"], rng),
        rec["rel"],
        mother or None,
        _render_alamat(addr, st),
        _rt_col(addr[4], st),
        _rt_col(addr[5], st),
        vil,
        kecn,
        kab,
        prov,
        rec["program"] or None,
    ]


# ---- name variations ------------------------------------------------------------------------

MUH_FORMS = [
    "MUHAMMAD",
    "MUHAMAD",
    "MOHAMMAD",
    "MOHAMAD",
    "MOCHAMMAD",
    "MOCHAMAD",
    "MUCHAMMAD",
    "M.",
    "M",
    "MUH.",
    "MUH",
    "MOH.",
    "MOCH.",
    "MHD",
    "MHD.",
]
SIBLING_FORMS = {
    "AHMAD": ["ACHMAD", "AKHMAD", "AHMAT"],
    "ACHMAD": ["AHMAD"],
    "ABDUL": ["ABD.", "ABD", "ABDOEL"],
    "ABD.": ["ABDUL"],
    "SITI": ["SITTI", "ST."],
    "SITTI": ["SITI", "ST."],
    "ST.": ["SITTI", "SITI"],
    "NUR": ["NOOR", "NOER", "NURUL"],
    "NOR": ["NUR", "NOOR"],
    "SRI": ["SERI"],
    "YOHANES": ["YOHANIS", "JOHANES", "JOHANNES"],
    "YOHANIS": ["YOHANES"],
}
NICKNAMES = {
    "HERMAWAN": ["WAWAN"],
    "SETIAWAN": ["WAWAN"],
    "KURNIAWAN": ["IWAN", "AWAN"],
    "ASEP": ["AA"],
    "SLAMET": ["MAMET"],
    "SUTRISNO": ["TRISNO"],
    "SUGIYANTO": ["GIYANTO", "ANTO"],
    "SUPRIYADI": ["SUPRI", "PRI"],
    "BAMBANG": ["BAMS"],
    "WAHYUDI": ["YUDI"],
    "WAHYUNI": ["YUNI"],
    "NURHAYATI": ["YATI", "NUNUNG"],
    "HARTATI": ["TATI"],
    "SUSANTI": ["SANTI"],
    "HANDAYANI": ["YANI"],
    "RAHMAT": ["AMAT"],
    "MUHAMMAD": ["MAMAT", "MAMAD"],
    "FRANSISKUS": ["FRANS", "SISKO"],
    "YOHANES": ["ANIS", "JOHN"],
    "AGUSTINUS": ["AGUS", "TINUS"],
    "ELISABETH": ["ELIS", "LISA"],
    "RIZKY": ["KIKI"],
    "RIZKI": ["KIKI"],
    "DEWI": ["WIWI"],
    "HENDRA": ["HENDRO"],
    "YULIANA": ["YULI"],
    "ROSMAWATI": ["ROS"],
    "ABDUL": ["DUL"],
    "SUPARMAN": ["PARMAN"],
    "MULYADI": ["MUL", "ADI"],
    "SUHARTO": ["HARTO"],
    "PURWANTO": ["ANTO", "PUR"],
    "EUIS": ["ICE"],
    "NENENG": ["ENENG"],
}
MALE_TITLES = ["H.", "H", "HAJI", "DRS.", "IR.", "KH."]
FEMALE_TITLES = ["HJ.", "HJ", "HAJAH", "DRA."]
DEGREES = [
    ", S.PD",
    ", S.PD.",
    ", S.E.",
    ", S.H.",
    ", S.SOS",
    ", A.MD.",
    ", S.KEP",
    ", S.AG",
    ", S.PD.I",
    " S.PD",
    ", SE",
    ", S.KOM",
]
KEY_NEIGHBOURS = {
    "A": "SQZ",
    "B": "VNG",
    "C": "XVD",
    "D": "SFE",
    "E": "WRD",
    "F": "DGR",
    "G": "FHT",
    "H": "GJY",
    "I": "UOK",
    "J": "HKU",
    "K": "JLI",
    "L": "KO",
    "M": "NJ",
    "N": "BMH",
    "O": "IPL",
    "P": "OL",
    "Q": "WA",
    "R": "ETF",
    "S": "ADW",
    "T": "RYG",
    "U": "YIJ",
    "V": "CBF",
    "W": "QES",
    "X": "ZCS",
    "Y": "TUH",
    "Z": "XAS",
}
PHONETIC_RULES = [
    ("F", "P"),
    ("V", "F"),
    ("V", "P"),
    ("Z", "J"),
    ("Z", "S"),
    ("Q", "K"),
    ("KH", "H"),
    ("KH", "K"),
    ("DH", "D"),
    ("TH", "T"),
    ("TS", "S"),
    ("DZ", "Z"),
    ("SY", "S"),
    ("MM", "M"),
    ("LL", "L"),
    ("DD", "D"),
    ("NN", "N"),
    ("SS", "S"),
    ("RR", "R"),
    ("AI", "AE"),
    ("AU", "O"),
    ("IY", "I"),
    ("UW", "U"),
    ("OE", "U"),
    ("PH", "F"),
    ("CH", "KH"),
]
SHORT_TOKENS = {"I", "NI", "BR", "BR.", "M.", "M", "JR"}


def _old_spelling(tok: str, rng: random.Random) -> str:
    if any(x in tok for x in ("OE", "DJ", "TJ", "SJ", "NJ")):
        return (
            tok.replace("OE", "U")
            .replace("DJ", "J")
            .replace("TJ", "C")
            .replace("SJ", "SY")
            .replace("NJ", "NY")
        )
    only_u = rng.random() < 0.3
    out = []
    i = 0
    n = len(tok)
    while i < n:
        two = tok[i : i + 2]
        if not only_u and two in ("NY", "SY", "KH"):
            out.append({"NY": "NJ", "SY": "SJ", "KH": "CH"}[two])
            i += 2
            continue
        c = tok[i]
        if c == "U" and not (i > 0 and tok[i - 1] in "AO"):
            out.append("OE")
        elif only_u:
            out.append(c)
        elif c == "J":
            out.append("DJ")
        elif c == "C":
            out.append("TJ")
        elif c == "Y":
            out.append("J")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _typo(tok: str, rng: random.Random) -> str:
    i = rng.randrange(len(tok))
    r = rng.random()
    if r < 0.4:
        nb = KEY_NEIGHBOURS.get(tok[i])
        if not nb:
            return tok
        return tok[:i] + rng.choice(nb) + tok[i + 1 :]
    if r < 0.65:
        return tok[:i] + tok[i + 1 :] if len(tok) > 3 else tok
    if r < 0.8:
        return tok[:i] + tok[i] + tok[i:]
    if i + 1 < len(tok):
        return tok[:i] + tok[i + 1] + tok[i] + tok[i + 2 :]
    return tok


def _phonetic(tok: str, rng: random.Random) -> str:
    rules = [r for r in PHONETIC_RULES if r[0] in tok]
    extra = []
    if tok.endswith("O") and len(tok) > 4:
        extra.append("final_o")
    if tok.endswith("I") and len(tok) > 4:
        extra.append("final_i")
    if tok.endswith("Y"):
        extra.append("final_y")
    if tok[:2] in ("SL", "SR", "PR", "TR", "KR") and len(tok) > 3:
        extra.append("epenthesis")
    if "A" in tok[1:-1]:
        extra.append("a_o")
    total = len(rules) + len(extra)
    if total == 0:
        return tok
    k = rng.randrange(total)
    if k < len(rules):
        a, b = rules[k]
        idx = [i for i in range(len(tok)) if tok.startswith(a, i)]
        i = rng.choice(idx)
        return tok[:i] + b + tok[i + len(a) :]
    e = extra[k - len(rules)]
    if e == "final_o":
        return tok[:-1] + "A"
    if e == "final_i":
        return tok[:-1] + "Y"
    if e == "final_y":
        return tok[:-1] + "I"
    if e == "epenthesis":
        return tok[0] + "E" + tok[1:]
    idx = [i for i in range(1, len(tok) - 1) if tok[i] == "A"]
    i = rng.choice(idx)
    return tok[:i] + "O" + tok[i + 1 :]


def _assimilate(a: str, b: str) -> str:
    if a == "ABDUL" and b and b[0] in "RSNZTD":
        return "ABDU" + b[0] + b
    return a + b


def _name_variant(p: Person, name: str, rng: random.Random, head_name: str = ""):
    """One spelling variation of `name`; returns (new name, variation label)."""
    toks = name.split()
    adult = REF_YEAR - p.by >= 25
    muslim = p.grp in MUSLIM_GROUPS
    opts = [
        ("typo", 14),
        ("phonetic", 14),
        ("old_spelling", 12 if p.by < 1980 else 4),
        ("join_split", 8),
    ]
    if any(t in MUH_FORMS or t in SIBLING_FORMS for t in toks):
        opts.append(("muhammad_form", 14))
    if adult:
        opts.append(("title", 8))
    if any(t in NICKNAMES for t in toks):
        opts.append(("nickname", 6))
    if len(toks) >= 2:
        opts.append(("drop_token", 8))
        opts.append(("initials", 5))
    if muslim and p.rel in (3, 5) and head_name and len(toks) <= 3 and p.hh.members[0].sex == 1:
        opts.append(("bin_binti", 4))
    while opts:
        cum = list(itertools.accumulate(w for _, w in opts))
        k = bisect.bisect_right(cum, rng.random() * cum[-1])
        label = opts.pop(k)[0]
        new = _apply_variant(label, toks, p, rng, head_name)
        if new and new != name:
            return new, label
    return _typo(name, rng), "typo"


def _apply_variant(label: str, toks: list, p: Person, rng: random.Random, head_name: str):
    toks = list(toks)
    long_idx = [i for i, t in enumerate(toks) if len(t) >= 3 and t not in SHORT_TOKENS]
    if label == "typo":
        if not long_idx:
            return None
        i = rng.choice(long_idx)
        toks[i] = _typo(toks[i], rng)
    elif label == "phonetic":
        if not long_idx:
            return None
        i = rng.choice(long_idx)
        toks[i] = _phonetic(toks[i], rng)
    elif label == "old_spelling":
        cand = [
            i
            for i in long_idx
            if any(c in toks[i] for c in "UJCY")
            or "OE" in toks[i]
            or "DJ" in toks[i]
            or "TJ" in toks[i]
        ]
        if not cand:
            return None
        i = rng.choice(cand)
        toks[i] = _old_spelling(toks[i], rng)
    elif label == "join_split":
        if len(toks) >= 2 and toks[0] not in ("I", "NI") and rng.random() < 0.7:
            i = rng.randrange(len(toks) - 1)
            if toks[i] in SHORT_TOKENS or toks[i + 1] in SHORT_TOKENS:
                return None
            toks[i : i + 2] = [_assimilate(toks[i], toks[i + 1])]
        else:
            for i, t in enumerate(toks):
                for pre in ("NUR", "SITI", "SRI", "ABDUL", "MUHAMMAD", "NOR"):
                    if t.startswith(pre) and len(t) >= len(pre) + 3:
                        toks[i : i + 1] = [pre, t[len(pre) :]]
                        return " ".join(toks)
            return None
    elif label == "muhammad_form":
        cand = [i for i, t in enumerate(toks) if t in MUH_FORMS or t in SIBLING_FORMS]
        i = rng.choice(cand)
        t = toks[i]
        if t in MUH_FORMS:
            toks[i] = rng.choice([f for f in MUH_FORMS if f != t])
        else:
            toks[i] = rng.choice(SIBLING_FORMS[t])
    elif label == "title":
        can_hajj = p.grp in MUSLIM_GROUPS and REF_YEAR - p.by >= 35
        if can_hajj and rng.random() < 0.6:
            pre = rng.choice(MALE_TITLES if p.sex == 1 else FEMALE_TITLES)
            return pre + " " + " ".join(toks)
        if rng.random() < 0.25:
            pre = rng.choice(("DRS.", "IR.") if p.sex == 1 else ("DRA.",))
            return pre + " " + " ".join(toks)
        return " ".join(toks) + rng.choice(DEGREES)
    elif label == "nickname":
        cand = [i for i, t in enumerate(toks) if t in NICKNAMES]
        i = rng.choice(cand)
        nick = rng.choice(NICKNAMES[toks[i]])
        if rng.random() < 0.5:
            return nick
        toks[i] = nick
    elif label == "drop_token":
        if toks[0] in ("I", "NI", "ANDI", "LALU", "BAIQ", "TEUKU", "CUT") and len(toks) >= 3:
            del toks[0]
        elif "BR" in toks or "BR." in toks:
            i = toks.index("BR") if "BR" in toks else toks.index("BR.")
            if rng.random() < 0.5:
                toks[i] = "BORU"
            else:
                del toks[i]
        elif len(toks) >= 3:
            del toks[rng.randrange(1, len(toks) - 1) if rng.random() < 0.6 else len(toks) - 1]
        else:
            del toks[-1]
    elif label == "initials":
        cand = [i for i in range(1, len(toks)) if len(toks[i]) >= 3]
        if not cand:
            return None
        i = rng.choice(cand)
        toks[i] = toks[i][0] + ("." if rng.random() < 0.6 else "")
    elif label == "bin_binti":
        father = head_name.split()
        if not father:
            return None
        word = (
            ("BIN" if rng.random() < 0.8 else "B.")
            if p.sex == 1
            else ("BINTI" if rng.random() < 0.8 else "BT.")
        )
        return " ".join(toks) + " " + word + " " + father[0]
    return " ".join(toks)


# ---- NIK variations ---------------------------------------------------------------------------


def _nik_typo(nik: str, rng: random.Random):
    s = list(nik)
    for _ in range(40):
        if rng.random() < 0.6:
            i = rng.randrange(16)
            s2 = list(s)
            s2[i] = rng.choice([c for c in "0123456789" if c != s[i]])
            return "".join(s2), "nik_digit_substituted"
        i = rng.randrange(15)
        if s[i] != s[i + 1]:
            s2 = list(s)
            s2[i], s2[i + 1] = s2[i + 1], s2[i]
            return "".join(s2), "nik_adjacent_swap"
    return nik, "nik_unchanged"


def _nik_excel(nik: str, rng: random.Random):
    r = rng.random()
    if r < 0.55 and nik[-1] != "0":
        return nik[:15] + "0", "nik_last_digit_zero"
    if r < 0.85:
        return f"{float(nik):.5E}", "nik_scientific"
    return nik + ".0", "nik_float_suffix"


def _nik_blank(rng: random.Random):
    r = rng.random()
    if r < 0.78:
        return None, "nik_blank"
    return rng.choice(("-", "0", "0000000000000000", "BELUM ADA")), "nik_placeholder"


# --------------------------------------------------------------------------------------------
# Copies

SINGLE_KINDS = [
    ("exact", 9),
    ("name_variant", 15),
    ("nik_excel", 6),
    ("nik_missing", 7),
    ("address_notation", 6),
    ("relation_recoded", 4),
    ("nik_typo", 4),
    ("date_error", 4),
    ("moved_new_nik", 4),
]
HOUSEHOLD_SHARE = 0.08
DOUBLE_KINDS = [
    ("blank_nik_date_error", 8),
    ("moved_nik_typo", 8),
    ("nik_typo_date_error", 6),
    ("name_variant_date_error", 6),
    ("name_variant_nik_missing", 5),
]
PERSON_KINDS = SINGLE_KINDS + DOUBLE_KINDS
PERSON_KIND_CUM = list(itertools.accumulate(w for _, w in PERSON_KINDS))


class Copier:
    """Makes the extra copies of people and households."""

    def __init__(self, b: Builder) -> None:
        self.b = b
        self.rng = b.rng

    def _restyle(self, rec: dict, vars_: list) -> None:
        rng = self.rng
        reg = REGIONS[rec["reg"]]
        old = list(rec["style"])
        before = (
            _render_alamat(rec["addr"], old),
            _rt_col(rec["addr"][4], old),
            _render_geo(reg, rec["kec"], rec["vil"], old, reg.is_kota),
        )
        for _ in range(10):
            st = list(old)
            for _ in range(rng.randint(1, 3)):
                k = rng.choice((0, 1, 1, 2, 3, 4, 5, 6, 7, 7, 8))
                if k == 1:
                    st[1] = rng.randint(0, N_RTRW_STYLES - 1)
                elif k == 3:
                    st[3] = rng.randint(0, 3 if st[1] else 2)
                elif k == 4:
                    st[4] = not st[4]
                elif k in (5, 6, 7, 8):
                    st[k] = (st[k] + rng.randint(1, 2)) % (4 if k == 5 else 3)
                else:
                    st[k] = (st[k] + rng.randint(1, 4)) % 5
            if st[1] == 0 and st[3] == 3:
                st[3] = 0
            after = (
                _render_alamat(rec["addr"], st),
                _rt_col(rec["addr"][4], st),
                _render_geo(reg, rec["kec"], rec["vil"], st, reg.is_kota),
            )
            if after != before:
                rec["style"] = st
                vars_.append("address_notation")
                if after[2][0] != before[2][0] and st[7] == 2:
                    vars_.append("village_spacing")
                return

    def _moved(self, p: Person, rec: dict, vars_: list) -> Household:
        rng = self.rng
        b = self.b
        cur = p.hh.reg
        while True:
            if rng.random() < 0.6:
                ri = rng.choice(MIGRATION_TARGETS)
            else:
                ri = bisect.bisect_right(REGION_CUM, rng.random() * REGION_CUM[-1])
            if ri != cur:
                break
        reg = REGIONS[ri]
        kec = rng.randrange(len(reg.kecs))
        vil = rng.choice(reg.kecs[kec][2])
        nh = Household(b.next_hid, ri, kec, vil, rng)
        b.next_hid += 1
        nh.members = [p]
        after = p.hh.kkdate
        nh.kkdate = b._kk_date(p.hh, after)
        nh.kk = b.kk_for(reg.code + reg.kecs[kec][0], nh.kkdate)
        rec.update(
            kk=nh.kk, reg=ri, kec=kec, vil=vil, addr=nh.addr, style=nh.style, program=nh.program
        )
        if REF_YEAR - p.by >= 18:
            rec["rel"] = rng.choice(("1", "1", "1", "8", "2"))
            if rec["rel"] == "2":
                rec["rel"] = "2" if p.sex == 2 else "1"
        else:
            rec["rel"] = "8"
        vars_.append("moved_new_address")
        vars_.append("new_kk")
        if rng.random() < 0.15 and rec["mother"]:
            rec["mother"], _ = _name_variant(p, rec["mother"], rng)
            vars_.append("mother_variant")
        return nh

    def _name(self, p: Person, rec: dict, vars_: list) -> None:
        head = p.hh.members[0].name if p.hh.members else ""
        rec["name"], label = _name_variant(p, rec["name"], self.rng, head)
        vars_.append("name_" + label)

    def _date(self, rec: dict, vars_: list) -> None:
        rec["dob"], label = _date_error(rec["dob"], self.rng)
        vars_.append(label)

    def person_copy(self, p: Person, kind: str):
        """Copy of person `p` with the mechanisms of `kind`; returns (rec, variations, hid)."""
        rng = self.rng
        rec = _canon(p)
        vars_: list[str] = []
        hid = p.hh.hid
        if kind == "exact":
            if rng.random() < 0.2:
                rec["program"] = _program(rng)
        elif kind == "name_variant":
            self._name(p, rec, vars_)
        elif kind == "nik_excel":
            rec["nik"], label = _nik_excel(rec["nik"], rng)
            vars_.append(label)
        elif kind == "nik_missing":
            rec["nik"], label = _nik_blank(rng)
            vars_.append(label)
        elif kind == "address_notation":
            self._restyle(rec, vars_)
            if not vars_:
                rec["addr"] = (*rec["addr"][:2], 0, *rec["addr"][3:])
                vars_.append("address_number_dropped")
        elif kind == "relation_recoded":
            rel = p.rel
            if rng.random() < 0.6:
                opts = ROLE_TEXT[rel]
                if rel == 2:
                    opts = ["ISTRI"] if p.sex == 2 else ["SUAMI"]
                rec["rel"] = rng.choice(opts)
                vars_.append("relation_as_text")
            else:
                rec["rel"] = str(rng.choice(ROLE_CONFUSION[rel]))
                vars_.append("relation_other_code")
        elif kind == "nik_typo":
            rec["nik"], label = _nik_typo(rec["nik"], rng)
            vars_.append(label)
        elif kind == "date_error":
            self._date(rec, vars_)
        elif kind == "moved_new_nik":
            nh = self._moved(p, rec, vars_)
            hid = nh.hid
            reg = REGIONS[nh.reg]
            rec["nik"] = self.b.nik_for(reg.code + reg.kecs[nh.kec][0], p.sex, p.nikdate)
            vars_.append("new_nik")
            if rng.random() < 0.4:
                self._name(p, rec, vars_)
        elif kind == "blank_nik_date_error":
            rec["nik"], label = _nik_blank(rng)
            vars_.append(label)
            self._date(rec, vars_)
        elif kind == "moved_nik_typo":
            nh = self._moved(p, rec, vars_)
            hid = nh.hid
            rec["nik"], label = _nik_typo(rec["nik"], rng)
            vars_.append(label)
            if rng.random() < 0.5:
                self._name(p, rec, vars_)
        elif kind == "nik_typo_date_error":
            rec["nik"], label = _nik_typo(rec["nik"], rng)
            vars_.append(label)
            self._date(rec, vars_)
        elif kind == "name_variant_date_error":
            self._name(p, rec, vars_)
            self._date(rec, vars_)
        elif kind == "name_variant_nik_missing":
            self._name(p, rec, vars_)
            rec["nik"], label = _nik_blank(rng)
            vars_.append(label)
        else:
            raise ValueError(kind)
        return rec, vars_, hid

    def household_copy(self, hh: Household):
        """All members again under a new KK; yields (person, rec, variations)."""
        rng = self.rng
        b = self.b
        reg = REGIONS[hh.reg]
        kkdate = b._kk_date(hh, hh.kkdate)
        kk = b.kk_for(reg.code + reg.kecs[hh.kec][0], kkdate)
        base = _canon(hh.members[0])
        hvars = ["new_kk"]
        if rng.random() < 0.7:
            self._restyle(base, hvars)
        program = hh.program if rng.random() < 0.7 else _program(rng)
        out = []
        for p in hh.members:
            rec = _canon(p)
            rec["kk"] = kk
            rec["style"] = base["style"]
            rec["program"] = program
            vars_ = list(hvars)
            if rng.random() < 0.25:
                self._name(p, rec, vars_)
            r = rng.random()
            if r < 0.10:
                rec["nik"], label = _nik_blank(rng)
                vars_.append(label)
            elif r < 0.13:
                rec["nik"], label = _nik_excel(rec["nik"], rng)
                vars_.append(label)
            if rng.random() < 0.05:
                self._date(rec, vars_)
            if rec["mother"] and rng.random() < 0.08:
                rec["mother"], _ = _name_variant(p, rec["mother"], rng)
                vars_.append("mother_variant")
            out.append((p, rec, vars_))
        return out


# --------------------------------------------------------------------------------------------
# Driver


def generate(rows: int, seed: int):
    """Build the rows; returns (records, truth, hard pairs) as lists of lists."""
    rng = random.Random(seed)
    n_copies = round(rows * COPY_SHARE)
    n_orig = rows - n_copies
    b = Builder(rng)
    b.population(n_orig)
    b.namesakes(round(n_orig * 0.003))
    b.identifiers()
    b.nik_ganda(round(n_orig * 0.004))

    recs: list[list] = []
    truth: list[list] = []
    for p in b.people:
        p.row = len(recs)
        recs.append(_render(_canon(p), rng))
        truth.append([p.eid, p.hh.hid, p.mark, ""])

    copier = Copier(b)
    hh_quota = round(n_copies * HOUSEHOLD_SHARE)
    done = 0
    hhs = [h for h in b.households if h.members]
    used = set()
    tries = 0
    while done < hh_quota and tries < 50 * max(1, hh_quota):
        tries += 1
        hh = rng.choice(hhs)
        if hh.hid in used or len(hh.members) > hh_quota - done:
            continue
        used.add(hh.hid)
        for p, rec, vars_ in copier.household_copy(hh):
            recs.append(_render(rec, rng))
            truth.append([p.eid, hh.hid, "household_reregistered", ";".join(vars_)])
            done += 1
    eligible = [p for p in b.people if not p.busy]
    kinds = [k for k, _ in PERSON_KINDS]
    while done < n_copies:
        p = rng.choice(eligible)
        kind = kinds[bisect.bisect_right(PERSON_KIND_CUM, rng.random() * PERSON_KIND_CUM[-1])]
        rec, vars_, hid = copier.person_copy(p, kind)
        recs.append(_render(rec, rng))
        truth.append([p.eid, hid, kind, ";".join(vars_)])
        done += 1

    order = list(range(len(recs)))
    rng.shuffle(order)
    ids = [""] * len(recs)
    width = max(8, len(str(len(recs))))
    for new, old in enumerate(order):
        ids[old] = f"ART{new + 1:0{width}d}"
    out_recs = [[ids[i], *recs[i]] for i in order]
    out_truth = [[ids[i], *truth[i]] for i in order]
    hard = [[kind, ids[a.row], ids[c.row]] for kind, a, c in b.pairs]
    return out_recs, out_truth, hard


def _write(path: str, columns: list[str], rows: list[list], fmt: str, types=None) -> None:
    if fmt == "csv":
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(columns)
            for r in rows:
                w.writerow(["" if v is None else v for v in r])
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = types or {}
    arrays = []
    for j, c in enumerate(columns):
        t = types.get(c, pa.string())
        arrays.append(pa.array([r[j] for r in rows], type=t))
    pq.write_table(pa.Table.from_arrays(arrays, names=columns), path, compression="zstd")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    recs, truth, hard = generate(args.rows, args.seed)
    t1 = time.perf_counter()
    os.makedirs(args.out, exist_ok=True)
    ext = args.format
    if ext == "parquet":
        import pyarrow as pa

        ttypes = {"entity_id": pa.int64(), "household_id": pa.int64()}
    else:
        ttypes = None
    for r in truth:
        r[3] = r[3] or None
        r[4] = r[4] or None
    _write(os.path.join(args.out, f"dtks.{ext}"), RECORD_COLUMNS, recs, ext)
    _write(os.path.join(args.out, f"truth.{ext}"), TRUTH_COLUMNS, truth, ext, ttypes)
    _write(os.path.join(args.out, f"hard_pairs.{ext}"), ["kind", "id_a", "id_b"], hard, ext)
    t2 = time.perf_counter()
    print(
        f"{len(recs)} rows, {len({r[1] for r in truth})} entities, {len(hard)} hard pairs; "
        f"generate {t1 - t0:.1f}s, write {t2 - t1:.1f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

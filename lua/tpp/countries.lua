--- tpp.countries: ISO 3166-1 alpha-2 codes, English short names and the
-- aliases people type. Data only; tpp.dest does lookups and EAR treatment.
-- Format per line: CODE|Name|alias;alias;...
return [[
AD|Andorra|
AE|United Arab Emirates|UAE;U.A.E.;Emirates;Abu Dhabi;Dubai
AF|Afghanistan|
AG|Antigua and Barbuda|Antigua
AI|Anguilla|
AL|Albania|
AM|Armenia|
AO|Angola|
AQ|Antarctica|
AR|Argentina|
AS|American Samoa|
AT|Austria|
AU|Australia|
AW|Aruba|
AX|Aland Islands|Åland Islands
AZ|Azerbaijan|
BA|Bosnia and Herzegovina|Bosnia
BB|Barbados|
BD|Bangladesh|
BE|Belgium|
BF|Burkina Faso|
BG|Bulgaria|
BH|Bahrain|
BI|Burundi|
BJ|Benin|
BL|Saint Barthelemy|Saint Barthélemy
BM|Bermuda|
BN|Brunei|Brunei Darussalam
BO|Bolivia|
BQ|Caribbean Netherlands|Bonaire
BR|Brazil|
BS|Bahamas|The Bahamas
BT|Bhutan|
BV|Bouvet Island|
BW|Botswana|
BY|Belarus|
BZ|Belize|
CA|Canada|
CC|Cocos (Keeling) Islands|Cocos Islands
CD|Democratic Republic of the Congo|DR Congo;DRC;Congo (Kinshasa);Congo-Kinshasa;Zaire
CF|Central African Republic|CAR
CG|Republic of the Congo|Congo (Brazzaville);Congo-Brazzaville
CH|Switzerland|
CI|Cote d'Ivoire|Côte d'Ivoire;Ivory Coast
CK|Cook Islands|
CL|Chile|
CM|Cameroon|
CN|China|PRC;People's Republic of China;Mainland China;P.R.C.;Peoples Republic of China
CO|Colombia|
CR|Costa Rica|
CU|Cuba|
CV|Cabo Verde|Cape Verde
CW|Curacao|Curaçao
CX|Christmas Island|
CY|Cyprus|
CZ|Czech Republic|Czechia
DE|Germany|Deutschland
DJ|Djibouti|
DK|Denmark|
DM|Dominica|
DO|Dominican Republic|
DZ|Algeria|
EC|Ecuador|
EE|Estonia|
EG|Egypt|
EH|Western Sahara|
ER|Eritrea|
ES|Spain|
ET|Ethiopia|
FI|Finland|
FJ|Fiji|
FK|Falkland Islands|
FM|Micronesia|Federated States of Micronesia
FO|Faroe Islands|
FR|France|
GA|Gabon|
GB|United Kingdom|UK;U.K.;Great Britain;Britain;England;Scotland;Wales;Northern Ireland
GD|Grenada|
GE|Georgia|
GF|French Guiana|
GG|Guernsey|
GH|Ghana|
GI|Gibraltar|
GL|Greenland|
GM|Gambia|The Gambia
GN|Guinea|
GP|Guadeloupe|
GQ|Equatorial Guinea|
GR|Greece|
GS|South Georgia and the South Sandwich Islands|
GT|Guatemala|
GU|Guam|
GW|Guinea-Bissau|
GY|Guyana|
HK|Hong Kong|Hongkong;HKSAR;Hong Kong SAR
HM|Heard Island and McDonald Islands|
HN|Honduras|
HR|Croatia|
HT|Haiti|
HU|Hungary|
ID|Indonesia|
IE|Ireland|
IL|Israel|
IM|Isle of Man|
IN|India|
IO|British Indian Ocean Territory|
IQ|Iraq|
IR|Iran|Islamic Republic of Iran
IS|Iceland|
IT|Italy|
JE|Jersey|
JM|Jamaica|
JO|Jordan|
JP|Japan|
KE|Kenya|
KG|Kyrgyzstan|Kyrgyz Republic
KH|Cambodia|Kampuchea
KI|Kiribati|
KM|Comoros|
KN|Saint Kitts and Nevis|
KP|North Korea|DPRK;Democratic People's Republic of Korea;Korea, North
KR|South Korea|Republic of Korea;ROK;Korea, South
KW|Kuwait|
KY|Cayman Islands|
KZ|Kazakhstan|
LA|Laos|Lao PDR;Lao People's Democratic Republic
LB|Lebanon|
LC|Saint Lucia|
LI|Liechtenstein|
LK|Sri Lanka|
LR|Liberia|
LS|Lesotho|
LT|Lithuania|
LU|Luxembourg|
LV|Latvia|
LY|Libya|
MA|Morocco|
MC|Monaco|
MD|Moldova|Republic of Moldova
ME|Montenegro|
MF|Saint Martin|
MG|Madagascar|
MH|Marshall Islands|
MK|North Macedonia|Macedonia
ML|Mali|
MM|Burma|Myanmar
MN|Mongolia|
MO|Macau|Macao;Macau SAR;Macao SAR
MP|Northern Mariana Islands|
MQ|Martinique|
MR|Mauritania|
MS|Montserrat|
MT|Malta|
MU|Mauritius|
MV|Maldives|
MW|Malawi|
MX|Mexico|
MY|Malaysia|
MZ|Mozambique|
NA|Namibia|
NC|New Caledonia|
NE|Niger|
NF|Norfolk Island|
NG|Nigeria|
NI|Nicaragua|
NL|Netherlands|Holland;The Netherlands
NO|Norway|
NP|Nepal|
NR|Nauru|
NU|Niue|
NZ|New Zealand|
OM|Oman|
PA|Panama|
PE|Peru|
PF|French Polynesia|
PG|Papua New Guinea|
PH|Philippines|
PK|Pakistan|
PL|Poland|
PM|Saint Pierre and Miquelon|
PN|Pitcairn Islands|
PR|Puerto Rico|
PS|Palestine|Palestinian Territories;West Bank;Gaza
PT|Portugal|
PW|Palau|
PY|Paraguay|
QA|Qatar|
RE|Reunion|Réunion
RO|Romania|
RS|Serbia|
RU|Russia|Russian Federation
RW|Rwanda|
SA|Saudi Arabia|KSA;Kingdom of Saudi Arabia
SB|Solomon Islands|
SC|Seychelles|
SD|Sudan|
SE|Sweden|
SG|Singapore|
SH|Saint Helena|
SI|Slovenia|
SJ|Svalbard and Jan Mayen|
SK|Slovakia|Slovak Republic
SL|Sierra Leone|
SM|San Marino|
SN|Senegal|
SO|Somalia|
SR|Suriname|
SS|South Sudan|
ST|Sao Tome and Principe|São Tomé and Príncipe
SV|El Salvador|
SX|Sint Maarten|
SY|Syria|Syrian Arab Republic
SZ|Eswatini|Swaziland
TC|Turks and Caicos Islands|
TD|Chad|
TF|French Southern Territories|
TG|Togo|
TH|Thailand|
TJ|Tajikistan|
TK|Tokelau|
TL|Timor-Leste|East Timor
TM|Turkmenistan|
TN|Tunisia|
TO|Tonga|
TR|Turkiye|Türkiye;Turkey
TT|Trinidad and Tobago|
TV|Tuvalu|
TW|Taiwan|Republic of China;Chinese Taipei;ROC
TZ|Tanzania|
UA|Ukraine|
UG|Uganda|
UM|United States Minor Outlying Islands|
US|United States|USA;U.S.;U.S.A.;United States of America;America
UY|Uruguay|
UZ|Uzbekistan|
VA|Holy See|Vatican;Vatican City
VC|Saint Vincent and the Grenadines|
VE|Venezuela|
VG|British Virgin Islands|
VI|US Virgin Islands|U.S. Virgin Islands
VN|Vietnam|Viet Nam
VU|Vanuatu|
WF|Wallis and Futuna|
WS|Samoa|
XK|Kosovo|
YE|Yemen|
YT|Mayotte|
ZA|South Africa|
ZM|Zambia|
ZW|Zimbabwe|
]]
